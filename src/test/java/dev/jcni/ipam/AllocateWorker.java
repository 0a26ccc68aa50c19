package dev.jcni.ipam;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * A separate JVM for the cross-process tests, started by {@link DiskConcurrencyTest}.
 * <pre>
 *   AllocateWorker &lt;dir&gt; allocate &lt;name&gt; &lt;count&gt;  prints one CIDR per line
 *   AllocateWorker &lt;dir&gt; hold                      prints "locked", holds the lock until stdin closes
 * </pre>
 */
public final class AllocateWorker {

    static final List<String> RANGES = List.of("10.240.0.0/24", "fd00:10:240::/64");

    private AllocateWorker() {}

    public static void main(String[] args) throws IOException {
        DiskReservationStore store = new DiskReservationStore(Path.of(args[0]));
        PrintStream out = System.out;
        switch (args[1]) {
            case "allocate" -> {
                Allocator allocator = new Allocator(store, RANGES.stream().map(PoolRange::parse).toList());
                int count = Integer.parseInt(args[3]);
                for (int i = 0; i < count; i++) {
                    for (Allocation a : allocator.allocate(new ReservationKey(args[2] + "-" + i, "eth0"))) {
                        out.println(a.cidr());
                    }
                }
            }
            case "hold" -> {
                try (StoreLock _ = store.lock()) {
                    out.println("locked");
                    out.flush();
                    while (System.in.read() >= 0) {
                        // wait for the parent to close our stdin
                    }
                }
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[1]);
        }
        out.flush();
    }
}
