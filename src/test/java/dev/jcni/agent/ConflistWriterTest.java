package dev.jcni.agent;

import dev.jcni.ipam.IpPrefix;
import dev.jcni.json.JsonObject;
import dev.jcni.plugin.PluginConfig;
import dev.jcni.spec.NetConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ConflistWriterTest {
    @Test
    void writesAtomicallyOnlyOnChangeAndThePluginAcceptsIt(@TempDir Path dir) throws Exception {
        ConflistWriter w = new ConflistWriter(dir.resolve("net.d"));
        Map<String, Object> c = ConflistWriter.content("cni0", List.of(IpPrefix.parse("10.240.1.0/24"), IpPrefix.parse("fd00:10:240:1::/64")),
                Path.of("/var/lib/jcni/ipam"), 1450);
        assertTrue(w.write(c));
        assertFalse(w.write(c), "unchanged content is not rewritten");
        try (var s = Files.list(dir.resolve("net.d"))) {
            assertEquals(List.of("10-jcni.conflist"), s.map(p -> p.getFileName().toString()).toList(), "no temp file left");
        }
        JsonObject conf = JsonObject.parse(Files.readString(w.path()));
        assertEquals("1.0.0", conf.str("cniVersion"));
        assertEquals(List.of("1.0.0", "1.1.0"), conf.optStrList("cniVersions").orElseThrow());
        JsonObject plugin = conf.optObjectList("plugins").orElseThrow().getFirst();
        assertEquals(1450, plugin.integer("mtu"));

        // What the runtime hands the plugin (the conflist's plugin entry plus name and version) parses.
        Map<String, Object> net = new java.util.LinkedHashMap<>(plugin.map());
        net.put("cniVersion", "1.1.0");
        net.put("name", "jcni");
        PluginConfig pc = PluginConfig.from(NetConf.fromJson(net));
        assertEquals(2, pc.podCidrs().size());
        assertEquals(1450, pc.mtu());

        Map<String, Object> changed = ConflistWriter.content("cni0", List.of(IpPrefix.parse("10.240.2.0/24")), Path.of("/x"), 1450);
        assertTrue(w.write(changed), "a new CIDR rewrites the file");
        assertTrue(Files.readString(w.path()).contains("10.240.2.0/24"));
    }
}
