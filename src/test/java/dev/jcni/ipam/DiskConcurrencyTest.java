package dev.jcni.ipam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Many allocators on one directory at once, as runtimes run ADDs: threads and separate JVMs. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DiskConcurrencyTest {

    @TempDir
    Path dataDir;

    private static Allocator allocator(Path dir) {
        // A fresh store instance per caller, as separate plugin invocations would have.
        return new Allocator(new DiskReservationStore(dir),
                AllocateWorker.RANGES.stream().map(PoolRange::parse).toList());
    }

    private static List<String> allocateMany(Path dir, String name, int count) {
        Allocator a = allocator(dir);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            a.allocate(new ReservationKey(name + "-" + i, "eth0")).forEach(x -> out.add(x.cidr()));
        }
        return out;
    }

    /** Every address distinct, and the store agrees: each key holds exactly one v4 and one v6. */
    private static void assertConsistent(Path dir, List<String> cidrs, int keys) {
        assertEquals(2 * keys, cidrs.size());
        assertEquals(cidrs.size(), new HashSet<>(cidrs).size(), "an address was handed out twice: " + cidrs);
        DiskReservationStore store = new DiskReservationStore(dir);
        try (StoreLock _ = store.lock()) {
            List<Reservation> all = store.all();
            assertEquals(2 * keys, all.size());
            Map<ReservationKey, Long> perKey = all.stream()
                    .collect(Collectors.groupingBy(Reservation::key, Collectors.counting()));
            assertEquals(keys, perKey.size());
            assertTrue(perKey.values().stream().allMatch(n -> n == 2), perKey.toString());
        }
    }

    @Test
    void threadsWithSeparateStoreInstancesNeverShareAnAddress() throws Exception {
        Path dir = dataDir.resolve("podnet");
        int threads = 8;
        int perThread = 10;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<String>>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                String name = "t" + t;
                futures.add(pool.submit(() -> {
                    start.await();
                    return allocateMany(dir, name, perThread);
                }));
            }
            start.countDown();
            List<String> cidrs = new ArrayList<>();
            for (Future<List<String>> f : futures) cidrs.addAll(f.get());
            assertConsistent(dir, cidrs, threads * perThread);
        }
    }

    @Test
    void processesAndThreadsTogetherNeverShareAnAddress() throws Exception {
        Path dir = dataDir.resolve("podnet");
        int processes = 4;
        int perWorker = 10;
        List<Process> children = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            children.add(worker(dir, "allocate", "p" + p, Integer.toString(perWorker)));
        }
        // Two threads in this JVM contend as well.
        var local = List.of(
                CompletableFuture.supplyAsync(() -> allocateMany(dir, "local0", perWorker)),
                CompletableFuture.supplyAsync(() -> allocateMany(dir, "local1", perWorker)));
        List<String> cidrs = new ArrayList<>();
        for (Process child : children) cidrs.addAll(finish(child));
        for (var f : local) cidrs.addAll(f.get());
        assertConsistent(dir, cidrs, (processes + 2) * perWorker);
    }

    @Test
    void lockIsExclusiveAcrossProcesses() throws Exception {
        Path dir = dataDir.resolve("podnet");
        Process holder = worker(dir, "hold");
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("locked", out.readLine(), "child did not take the lock");

        DiskReservationStore store = new DiskReservationStore(dir);
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> store.lock().close());
        try {
            waiter.get(500, TimeUnit.MILLISECONDS);
            throw new AssertionError("took the lock while another process held it");
        } catch (TimeoutException expected) {
            assertFalse(waiter.isDone());
        }
        holder.getOutputStream().close(); // child releases and exits
        waiter.get(30, TimeUnit.SECONDS);
        assertEquals(0, holder.waitFor());
    }

    private static Process worker(Path dir, String... args) throws IOException, URISyntaxException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", classpathOf(Allocator.class) + java.io.File.pathSeparator + classpathOf(AllocateWorker.class),
                AllocateWorker.class.getName(), dir.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static String classpathOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static List<String> finish(Process child) throws IOException, InterruptedException {
        List<String> lines;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            lines = r.lines().toList();
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "worker did not finish");
        assertEquals(0, child.exitValue(), "worker failed; its stderr is above. Output: " + lines);
        return lines;
    }

}
