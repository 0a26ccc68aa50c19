package dev.jcni.ipam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The on-disk layout and crash behaviour; the shared semantics are in the contract test. */
class DiskReservationStoreTest {

    private static final String CONTAINER = "0123456789abcdefcafe";

    @TempDir
    Path dataDir;

    private static InetAddress ip(String s) {
        return IpAddresses.parse(s);
    }

    private Set<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    private Allocator dualStack(DiskReservationStore store) {
        return new Allocator(store, List.of(PoolRange.parse("10.240.0.0/24"), PoolRange.parse("fd00:10:240::/64")));
    }

    @Test
    void writesOneFilePerAddressNamedByTheAddress() throws IOException {
        DiskReservationStore store = DiskReservationStore.forNetwork(dataDir, "podnet");
        Path dir = dataDir.resolve("podnet");
        dualStack(store).allocate(new ReservationKey(CONTAINER, "eth0"));

        assertEquals(Set.of("lock", "10.240.0.2", "fd00_10_240__2",
                "last_reserved_ip.10.240.0.0-24", "last_reserved_ip.fd00_10_240__-64"), names(dir));
        assertEquals(CONTAINER + "\neth0", Files.readString(dir.resolve("10.240.0.2")));
        assertEquals(CONTAINER + "\neth0", Files.readString(dir.resolve("fd00_10_240__2")));
        assertEquals("10.240.0.2", Files.readString(dir.resolve("last_reserved_ip.10.240.0.0-24")));
        assertEquals("fd00:10:240::2", Files.readString(dir.resolve("last_reserved_ip.fd00_10_240__-64")));
    }

    @Test
    void noContainerIdInAnyPathAndNoTempFilesLeft() throws IOException {
        DiskReservationStore store = DiskReservationStore.forNetwork(dataDir, "podnet");
        Allocator a = dualStack(store);
        for (int i = 0; i < 5; i++) a.allocate(new ReservationKey(CONTAINER + i, "eth0"));
        a.release(new ReservationKey(CONTAINER + "1", "eth0"));
        a.gc(Set.of(new ReservationKey(CONTAINER + "2", "eth0")));
        try (Stream<Path> all = Files.walk(dataDir)) {
            for (Path p : all.toList()) {
                assertFalse(p.toString().contains(CONTAINER), "container ID in path " + p);
                assertFalse(p.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX), "temp file left: " + p);
            }
        }
        assertEquals(Set.of("lock", "10.240.0.4", "fd00_10_240__4",
                "last_reserved_ip.10.240.0.0-24", "last_reserved_ip.fd00_10_240__-64"),
                names(store.directory()));
    }

    @Test
    void stateSurvivesANewStoreInstance() {
        Allocator first = dualStack(DiskReservationStore.forNetwork(dataDir, "podnet"));
        List<Allocation> got = first.allocate(new ReservationKey("c1", "eth0"));
        first.release(new ReservationKey("c1", "eth0"));
        Allocator second = dualStack(DiskReservationStore.forNetwork(dataDir, "podnet"));
        // Round-robin position is on disk: the freed .2 is not reused at once.
        assertEquals(List.of("10.240.0.3/24", "fd00:10:240::3/64"),
                second.allocate(new ReservationKey("c2", "eth0")).stream().map(Allocation::cidr).toList());
        assertFalse(got.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "..", ".", "../x", "a/b", "-net", ".hidden", "a b", "net\n", "ä"})
    void rejectsUnsafeNetworkNames(String name) {
        var e = assertThrows(IllegalArgumentException.class, () -> DiskReservationStore.forNetwork(dataDir, name));
        assertTrue(e.getMessage().contains("network name"), e.getMessage());
    }

    @Test
    void rejectsOversizedNetworkNameAndUnsafeRangeId() {
        assertThrows(IllegalArgumentException.class, () -> DiskReservationStore.forNetwork(dataDir, "n".repeat(256)));
        DiskReservationStore store = DiskReservationStore.forNetwork(dataDir, "podnet");
        try (StoreLock _ = store.lock()) {
            assertThrows(IllegalArgumentException.class,
                    () -> store.reserve(new ReservationKey("c1", "eth0"), ip("10.0.0.2"), "../../etc"));
            assertThrows(IllegalArgumentException.class, () -> store.lastReserved(".."));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "c1", "c1\n", "c1\neth0\nextra", "\neth0", "bad id\neth0", "c1\neth0/x"})
    void crashLeftoverOrGarbageReservationIsReclaimed(String content) throws IOException {
        DiskReservationStore store = DiskReservationStore.forNetwork(dataDir, "podnet");
        Files.writeString(store.directory().resolve("10.240.0.2"), content);
        Allocator a = new Allocator(store, List.of(PoolRange.parse("10.240.0.0/24")));

        // Not a reservation: not listed, not anyone's, and it does not block the address.
        try (StoreLock _ = store.lock()) {
            assertEquals(List.of(), store.all());
        }
        assertTrue(a.hasRoom());
        assertEquals(List.of("10.240.0.2/24"),
                a.allocate(new ReservationKey("c2", "eth0")).stream().map(Allocation::cidr).toList());
        assertEquals("c2\neth0", Files.readString(store.directory().resolve("10.240.0.2")));
    }

    @Test
    void hostLocalLineBreakIsRead() throws IOException {
        DiskReservationStore store = DiskReservationStore.forNetwork(dataDir, "podnet");
        Files.writeString(store.directory().resolve("10.240.0.7"), "c1\r\neth0");
        try (StoreLock _ = store.lock()) {
            assertEquals(List.of(ip("10.240.0.7")), store.findByKey(new ReservationKey("c1", "eth0")));
            assertFalse(store.reserve(new ReservationKey("c2", "eth0"), ip("10.240.0.7"), "r"));
        }
    }

    @Test
    void tempFileLeftByACrashIsIgnoredAndCleanedUp() throws IOException {
        DiskReservationStore store = DiskReservationStore.forNetwork(dataDir, "podnet");
        Path leftover = store.directory().resolve(AtomicFiles.TEMP_PREFIX + "12345");
        Files.writeString(leftover, "c1\neth");
        try (StoreLock _ = store.lock()) {
            assertFalse(Files.exists(leftover), "taking the lock removes crash leftovers");
            assertEquals(List.of(), store.all());
        }
    }

    @Test
    void unparseableBookmarkOnlyRestartsTheWalk() throws IOException {
        DiskReservationStore store = DiskReservationStore.forNetwork(dataDir, "podnet");
        Files.writeString(store.directory().resolve("last_reserved_ip.10.240.0.0-24"), "10.240.0.");
        Allocator a = new Allocator(store, List.of(PoolRange.parse("10.240.0.0/24")));
        assertEquals(ip("10.240.0.2"), a.allocate(new ReservationKey("c1", "eth0")).getFirst().ip());
    }

    @Test
    void foreignFilesInTheDirectoryAreIgnored() throws IOException {
        DiskReservationStore store = DiskReservationStore.forNetwork(dataDir, "podnet");
        Files.writeString(store.directory().resolve("README"), "hello");
        Files.createDirectory(store.directory().resolve("10.240.0.9"));
        try (StoreLock _ = store.lock()) {
            assertEquals(List.of(), store.all());
            assertEquals(Optional.empty(), store.lastReserved("10.240.0.0-24"));
        }
    }

    @Test
    void lockIsNotReentrantAndReleasesOnClose() {
        DiskReservationStore store = DiskReservationStore.forNetwork(dataDir, "podnet");
        DiskReservationStore sameDirOtherInstance = new DiskReservationStore(dataDir.resolve("podnet/../podnet"));
        try (StoreLock _ = store.lock()) {
            assertThrows(IllegalStateException.class, sameDirOtherInstance::lock);
        }
        StoreLock again = sameDirOtherInstance.lock();
        again.close();
        again.close(); // idempotent
        store.lock().close();
    }
}
