package dev.jcni.testing;

import dev.jcni.netlink.NetNs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Namespaces for one test, named {@code jt<pid>x<rand>-<name>} so runs never collide and leftovers of
 * a crashed run can be told apart from live ones. Close it in a finally (try-with-resources).
 */
public final class TestNamespaces implements AutoCloseable {
    public static final String PREFIX = "jt";
    private static final Object REAP_LOCK = new Object();
    private static volatile boolean reaped;

    private final String prefix;
    private final List<String> created = Collections.synchronizedList(new ArrayList<>());

    public TestNamespaces() {
        prefix = PREFIX + ProcessHandle.current().pid() + "x" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
    }

    public String prefix() { return prefix; }

    /** Creates the namespace {@code <prefix>-<name>} and returns its path. */
    public Path create(String name) {
        String full = prefix + "-" + name;
        created.add(full);
        return NetNs.create(full);
    }

    public String fullName(String name) { return prefix + "-" + name; }

    public Path path(String name) { return NetNs.pathOf(prefix + "-" + name); }

    @Override
    public void close() {
        List<String> copy;
        synchronized (created) { copy = new ArrayList<>(created); }
        for (String n : copy) {
            try { NetNs.delete(n); } catch (RuntimeException e) { System.err.println("cleanup " + n + ": " + e); }
        }
    }

    /** Removes namespaces left by earlier test runs whose process is gone. */
    public static void reapLeftovers() {
        if (reaped) return;
        synchronized (REAP_LOCK) {
            if (reaped) return;
            reaped = true;
            if (!Files.isDirectory(NetNs.RUN_NETNS)) return;
            try (Stream<Path> s = Files.list(NetNs.RUN_NETNS)) {
                for (Path p : s.toList()) {
                    String n = p.getFileName().toString();
                    if (!n.startsWith(PREFIX)) continue;
                    int x = n.indexOf('x');
                    if (x < 0) continue;
                    long pid;
                    try { pid = Long.parseLong(n.substring(PREFIX.length(), x)); } catch (NumberFormatException e) { continue; }
                    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
                    try { NetNs.delete(n); } catch (RuntimeException e) { System.err.println("reap " + n + ": " + e); }
                }
            } catch (IOException e) {
                System.err.println("reap leftovers: " + e);
            }
        }
    }
}
