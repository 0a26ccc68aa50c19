package dev.jcni.ipam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ReservationStore} must do; run against each implementation. */
abstract class ReservationStoreContract {

    static final ReservationKey A = new ReservationKey("aaaa", "eth0");
    static final ReservationKey B = new ReservationKey("bbbb", "eth0");
    static final ReservationKey A_NET1 = new ReservationKey("aaaa", "net1");

    ReservationStore store;

    abstract ReservationStore newStore() throws Exception;

    static InetAddress ip(String s) {
        return IpAddresses.parse(s);
    }

    @BeforeEach
    void setUp() throws Exception {
        store = newStore();
    }

    @Test
    void reserveIsCreateIfAbsent() {
        try (StoreLock _ = store.lock()) {
            assertTrue(store.reserve(A, ip("10.0.0.2"), "r4"));
            assertFalse(store.reserve(B, ip("10.0.0.2"), "r4"));
            assertFalse(store.reserve(A, ip("10.0.0.2"), "r4"));
            assertEquals(List.of(new Reservation(ip("10.0.0.2"), A)), store.all());
        }
    }

    @Test
    void lastReservedIsPerRange() {
        try (StoreLock _ = store.lock()) {
            assertEquals(Optional.empty(), store.lastReserved("r4"));
            store.reserve(A, ip("10.0.0.2"), "r4");
            store.reserve(A, ip("fd00::2"), "r6");
            store.reserve(B, ip("10.0.0.3"), "r4");
            assertFalse(store.reserve(B, ip("10.0.0.2"), "r4"), "a failed reserve moves no bookmark");
            assertEquals(Optional.of(ip("10.0.0.3")), store.lastReserved("r4"));
            assertEquals(Optional.of(ip("fd00::2")), store.lastReserved("r6"));
        }
    }

    @Test
    void findAndReleaseByKeyMatchContainerAndIfname() {
        try (StoreLock _ = store.lock()) {
            store.reserve(A, ip("10.0.0.3"), "r4");
            store.reserve(A, ip("fd00::2"), "r6");
            store.reserve(A_NET1, ip("10.0.0.2"), "r4");
            store.reserve(B, ip("10.0.0.4"), "r4");
            assertEquals(List.of(ip("10.0.0.3"), ip("fd00::2")), store.findByKey(A));
            store.releaseByKey(A);
            store.releaseByKey(A); // idempotent
            assertEquals(List.of(), store.findByKey(A));
            assertEquals(List.of(new Reservation(ip("10.0.0.2"), A_NET1), new Reservation(ip("10.0.0.4"), B)),
                    store.all());
        }
    }

    @Test
    void releaseIpFreesTheAddressAndIsIdempotent() {
        try (StoreLock _ = store.lock()) {
            store.reserve(A, ip("fd00::2"), "r6");
            store.releaseIp(ip("fd00::2"));
            store.releaseIp(ip("fd00::2"));
            assertEquals(List.of(), store.all());
            assertTrue(store.reserve(B, ip("fd00::2"), "r6"));
        }
    }

    @Test
    void allIsInAddressOrder() {
        try (StoreLock _ = store.lock()) {
            for (String s : List.of("fd00::2", "10.0.0.10", "10.0.0.9")) {
                store.reserve(A, ip(s), "r");
            }
            assertEquals(List.of(ip("10.0.0.9"), ip("10.0.0.10"), ip("fd00::2")),
                    store.all().stream().map(Reservation::ip).toList());
        }
    }
}
