package dev.jcni.netlink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Per-namespace sysctls. /proc/sys/net resolves against the network namespace of the thread that
 * opens the file, so a write inside {@link NetNs#run} changes that namespace only.
 */
public final class Sysctl {
    private Sysctl() {}

    /** {@code sysctl -w KEY=VALUE} in the calling thread's namespace; KEY like net.ipv4.ip_forward. */
    public static void write(String key, String value) {
        try {
            Files.writeString(path(key), value);
        } catch (IOException e) {
            throw new UncheckedIOException("sysctl " + key + "=" + value + ": " + e.getMessage(), e);
        }
    }

    public static String read(String key) {
        try {
            return Files.readString(path(key)).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("sysctl " + key + ": " + e.getMessage(), e);
        }
    }

    /** {@code ip netns exec NS sysctl -w KEY=VALUE}, without the process. */
    public static void writeIn(Path netns, String key, String value) {
        NetNs.run(netns, () -> write(key, value));
    }

    public static String readIn(Path netns, String key) {
        return NetNs.run(netns, () -> read(key));
    }

    static Path path(String key) {
        if (key.contains("..") || key.contains("/")) throw new IllegalArgumentException("bad sysctl key " + key);
        return Path.of("/proc/sys", key.replace('.', '/'));
    }
}
