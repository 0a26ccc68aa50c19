package dev.jcni.ipam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AllocatorTest {

    private final MemoryReservationStore store = new MemoryReservationStore();

    private static InetAddress ip(String s) {
        return IpAddresses.parse(s);
    }

    private static ReservationKey key(int n) {
        return new ReservationKey("c" + n, "eth0");
    }

    private Allocator allocator(String... cidrs) {
        return new Allocator(store, java.util.Arrays.stream(cidrs).map(PoolRange::parse).toList());
    }

    private static List<String> cidrs(List<Allocation> allocations) {
        return allocations.stream().map(Allocation::cidr).toList();
    }

    @Test
    void allocatesInOrderFromGatewayPlusOne() {
        Allocator a = allocator("10.240.0.0/24");
        List<Allocation> first = a.allocate(key(1));
        assertEquals(List.of("10.240.0.2/24"), cidrs(first));
        assertEquals(ip("10.240.0.1"), first.getFirst().gateway());
        assertEquals(IpPrefix.parse("10.240.0.0/24"), first.getFirst().prefix());
        assertEquals(List.of("10.240.0.3/24"), cidrs(a.allocate(key(2))));
        assertEquals(List.of("10.240.0.4/24"), cidrs(a.allocate(key(3))));
    }

    @Test
    void roundRobinDoesNotHandBackAJustReleasedAddress() {
        Allocator a = allocator("10.240.0.0/24");
        a.allocate(key(1));
        InetAddress second = a.allocate(key(2)).getFirst().ip();
        a.release(key(2));
        InetAddress third = a.allocate(key(3)).getFirst().ip();
        assertNotEquals(second, third);
        assertEquals(ip("10.240.0.4"), third);
    }

    @Test
    void roundRobinWrapsToFreedAddressesAtTheStart() {
        Allocator a = allocator("10.240.0.0/29"); // .2 .. .6
        for (int i = 2; i <= 6; i++) a.allocate(key(i));
        a.release(key(3));
        a.release(key(5));
        assertEquals(List.of("10.240.0.3/29"), cidrs(a.allocate(key(100))));
        assertEquals(List.of("10.240.0.5/29"), cidrs(a.allocate(key(101))));
    }

    @Test
    void repeatedAddReturnsTheSameAddresses() {
        Allocator a = allocator("10.240.0.0/24", "fd00:10:240::/64");
        List<Allocation> first = a.allocate(key(1));
        a.allocate(key(2));
        assertEquals(first, a.allocate(key(1)));
        assertEquals(first, a.find(key(1)));
        assertEquals(4, store.all().size());
    }

    @Test
    void sameContainerOtherInterfaceGetsItsOwnAddress() {
        Allocator a = allocator("10.240.0.0/24");
        var eth0 = a.allocate(new ReservationKey("c1", "eth0"));
        var net1 = a.allocate(new ReservationKey("c1", "net1"));
        assertNotEquals(eth0, net1);
    }

    @Test
    void dualStackGivesOneAddressPerFamily() {
        Allocator a = allocator("10.240.0.0/24", "fd00:10:240::/64");
        List<Allocation> got = a.allocate(key(1));
        assertEquals(List.of("10.240.0.2/24", "fd00:10:240::2/64"), cidrs(got));
        assertEquals(ip("fd00:10:240::1"), got.get(1).gateway());
        assertTrue(got.get(1).isIpv6());
    }

    @Test
    void missingFamilyIsAddedOnRepeat() {
        // The key holds v4 only (say, the config gained a v6 range): keep v4, add v6.
        try (StoreLock _ = store.lock()) {
            store.reserve(key(1), ip("10.240.0.9"), "x");
        }
        Allocator a = allocator("10.240.0.0/24", "fd00:10:240::/64");
        assertEquals(List.of("10.240.0.9/24", "fd00:10:240::2/64"), cidrs(a.allocate(key(1))));
    }

    @Test
    void neverHandsOutNetworkGatewayOrBroadcast() {
        Allocator a = allocator("10.240.0.0/28", "fd00::/124");
        Set<InetAddress> seen = new HashSet<>();
        int n = 0;
        while (true) {
            List<Allocation> got;
            try {
                got = a.allocate(key(n++));
            } catch (PoolExhaustedException e) {
                break;
            }
            got.forEach(x -> assertTrue(seen.add(x.ip()), "duplicate " + x));
        }
        // v4 /28: 16 - network - gateway - broadcast = 13, which also bounds the v6 side.
        assertEquals(26, seen.size());
        for (String s : List.of("10.240.0.0", "10.240.0.1", "10.240.0.15", "fd00::", "fd00::1")) {
            assertFalse(seen.contains(ip(s)), s);
        }
    }

    @Test
    void ipv6LastAddressIsHandedOut() {
        Allocator a = allocator("fd00::/126");
        assertEquals(List.of("fd00::2/126"), cidrs(a.allocate(key(1))));
        assertEquals(List.of("fd00::3/126"), cidrs(a.allocate(key(2))));
        assertThrows(PoolExhaustedException.class, () -> a.allocate(key(3)));
    }

    @Test
    void exhaustionRollsBackTheOtherFamily() {
        Allocator a = allocator("10.240.0.0/24", "fd00::/126"); // v6 has two addresses
        a.allocate(key(1));
        a.allocate(key(2));
        List<Reservation> before = store.all();
        PoolExhaustedException e = assertThrows(PoolExhaustedException.class, () -> a.allocate(key(3)));
        assertEquals(PoolRange.parse("fd00::/126"), e.range());
        assertTrue(e.getMessage().contains("fd00::/126"), e.getMessage());
        assertEquals(before, store.all(), "the v4 address reserved by the failed call is released");
        assertEquals(List.of(), a.find(key(3)));
    }

    @Test
    void tinyPrefixReportsNoRoom() {
        Allocator a = allocator("10.0.0.0/31");
        assertFalse(a.hasRoom());
        assertThrows(PoolExhaustedException.class, () -> a.allocate(key(1)));
    }

    @Test
    void hasRoomRequiresEveryRange() {
        Allocator a = allocator("10.240.0.0/24", "fd00::/126");
        assertTrue(a.hasRoom());
        a.allocate(key(1));
        assertTrue(a.hasRoom());
        a.allocate(key(2));
        assertFalse(a.hasRoom());
        a.release(key(1));
        assertTrue(a.hasRoom());
    }

    @Test
    void releaseIsIdempotentAndLeavesOthers() {
        Allocator a = allocator("10.240.0.0/24", "fd00::/64");
        a.allocate(key(1));
        List<Allocation> other = a.allocate(key(2));
        a.release(key(1));
        a.release(key(1));
        a.release(key(99));
        assertEquals(List.of(), a.find(key(1)));
        assertEquals(other, a.find(key(2)));
    }

    @Test
    void gcReleasesOnlyWhatIsNotValid() {
        Allocator a = allocator("10.240.0.0/24", "fd00::/64");
        for (int i = 1; i <= 4; i++) a.allocate(key(i));
        List<Reservation> released = a.gc(Set.of(key(2), key(4), key(42)));
        assertEquals(Set.of(key(1), key(3)), Set.copyOf(released.stream().map(Reservation::key).toList()));
        assertEquals(4, released.size());
        assertEquals(Set.of(key(2), key(4)), Set.copyOf(store.all().stream().map(Reservation::key).toList()));
        assertEquals(List.of(), a.gc(Set.of(key(2), key(4))));
    }

    @Test
    void gcKeepsGoingPastAFailedRelease() {
        InetAddress bad = ip("10.240.0.3");
        ReservationStore flaky = new ForwardingStore(store) {
            @Override
            public void releaseIp(InetAddress address) {
                if (address.equals(bad)) throw new StoreException("disk says no", null, null);
                super.releaseIp(address);
            }
        };
        Allocator a = new Allocator(flaky, List.of(PoolRange.parse("10.240.0.0/24")));
        for (int i = 1; i <= 3; i++) a.allocate(key(i)); // .2 .3 .4
        StoreException e = assertThrows(StoreException.class, () -> a.gc(Set.of()));
        assertTrue(e.getMessage().contains("released 2"), e.getMessage());
        assertEquals(List.of(new Reservation(bad, key(2))), store.all());
    }

    @Test
    void rollbackFailureIsAttachedNotLost() {
        ReservationStore failing = new ForwardingStore(store) {
            @Override
            public void releaseIp(InetAddress address) {
                throw new StoreException("cannot release", null, null);
            }
        };
        Allocator a = new Allocator(failing, List.of(PoolRange.parse("10.240.0.0/24"), PoolRange.parse("fd00::/127")));
        PoolExhaustedException e = assertThrows(PoolExhaustedException.class, () -> a.allocate(key(1)));
        assertEquals(1, e.getSuppressed().length);
    }

    @Test
    void storeLockIsReleasedAfterAFailure() {
        Allocator a = allocator("10.0.0.0/32");
        assertThrows(PoolExhaustedException.class, () -> a.allocate(key(1)));
        // Another thread can take the lock: the failed call did not leave it held.
        java.util.concurrent.CompletableFuture.runAsync(() -> store.lock().close())
                .orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join();
    }

    @Test
    void rejectsTwoRangesOfOneFamilyOrNone() {
        assertThrows(IllegalArgumentException.class, () -> allocator("10.0.0.0/24", "10.1.0.0/24"));
        assertThrows(IllegalArgumentException.class, () -> allocator("fd00::/64", "fd01::/64"));
        assertThrows(IllegalArgumentException.class, () -> allocator());
    }

    @Test
    void roundRobinStateComesFromTheStoreNotTheAllocator() {
        allocator("10.240.0.0/24").allocate(key(1));
        Allocator fresh = allocator("10.240.0.0/24");
        assertEquals(List.of("10.240.0.3/24"), cidrs(fresh.allocate(key(2))));
        assertEquals(Optional.of(ip("10.240.0.3")), store.lastReserved(PoolRange.parse("10.240.0.0/24").id()));
    }

    /** Delegates everything; tests override one method to inject a fault. */
    private static class ForwardingStore implements ReservationStore {
        private final ReservationStore inner;

        ForwardingStore(ReservationStore inner) {
            this.inner = inner;
        }

        @Override public StoreLock lock() { return inner.lock(); }
        @Override public boolean reserve(ReservationKey k, InetAddress ip, String r) { return inner.reserve(k, ip, r); }
        @Override public Optional<InetAddress> lastReserved(String r) { return inner.lastReserved(r); }
        @Override public List<InetAddress> findByKey(ReservationKey k) { return inner.findByKey(k); }
        @Override public void releaseByKey(ReservationKey k) { inner.releaseByKey(k); }
        @Override public void releaseIp(InetAddress ip) { inner.releaseIp(ip); }
        @Override public List<Reservation> all() { return inner.all(); }
    }
}
