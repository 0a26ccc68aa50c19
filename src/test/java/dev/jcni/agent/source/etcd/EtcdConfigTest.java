package dev.jcni.agent.source.etcd;

import dev.jcni.ipam.IpAddresses;
import dev.jcni.ipam.IpPrefix;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EtcdConfigTest {
    private static EtcdConfig config(String name, String cluster, int size, Duration ttl, String prefix) {
        return new EtcdConfig(List.of(URI.create("http://127.0.0.1:2379")), name, IpAddresses.parse("192.168.1.1"),
                IpPrefix.parse(cluster), size, Path.of("/tmp/x"), ttl, prefix);
    }

    @Test
    void defaultsAndChecks() {
        EtcdConfig c = new EtcdConfig(List.of(URI.create("http://127.0.0.1:2379")), "n1",
                IpAddresses.parse("192.168.1.1"), IpPrefix.parse("10.244.0.0/16"), 24, Path.of("/tmp/x"),
                Duration.ofSeconds(30));
        assertEquals("/jcni", c.keyPrefix());

        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> config("n1", "fd00::/48", 64, Duration.ofSeconds(30), "/jcni")).getMessage().contains("IPv4 only"));
        assertThrows(IllegalArgumentException.class, () -> config("n1", "10.244.0.0/16", 15, Duration.ofSeconds(30), "/jcni"));
        assertThrows(IllegalArgumentException.class, () -> config("n1", "10.244.0.0/16", 31, Duration.ofSeconds(30), "/jcni"));
        assertThrows(IllegalArgumentException.class, () -> config("a/b", "10.244.0.0/16", 24, Duration.ofSeconds(30), "/jcni"));
        assertThrows(IllegalArgumentException.class, () -> config("", "10.244.0.0/16", 24, Duration.ofSeconds(30), "/jcni"));
        assertThrows(IllegalArgumentException.class, () -> config("n1", "10.244.0.0/16", 24, Duration.ofMillis(500), "/jcni"));
        assertThrows(IllegalArgumentException.class, () -> config("n1", "10.244.0.0/16", 24, Duration.ofSeconds(30), "jcni"));
        assertThrows(IllegalArgumentException.class, () -> config("n1", "10.244.0.0/16", 24, Duration.ofSeconds(30), "/jcni/"));
    }
}
