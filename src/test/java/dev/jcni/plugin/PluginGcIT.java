package dev.jcni.plugin;

import dev.jcni.spec.NetConf;
import dev.jcni.testing.Privileged;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.jcni.plugin.PluginHarness.GATEWAY;
import static dev.jcni.plugin.PluginHarness.addr;
import static dev.jcni.plugin.PluginHarness.assertReleased;
import static dev.jcni.plugin.PluginHarness.assertReserved;
import static dev.jcni.plugin.PluginHarness.hostVeth;
import static dev.jcni.plugin.PluginHarness.json;
import static dev.jcni.plugin.PluginHarness.link;
import static dev.jcni.plugin.PluginHarness.ping;
import static dev.jcni.plugin.PluginHarness.silentOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GC: everything of this network not in the runtime's list of valid attachments goes; the rest is untouched. */
@Privileged
class PluginGcIT {
    @TempDir
    Path tmp;
    PluginHarness h;
    final String[] ids = {"c1", "c2", "c3"};
    final String[] ips = new String[3];

    @BeforeEach
    void setUp() {
        h = new PluginHarness(tmp);
        for (int i = 0; i < ids.length; i++) {
            ips[i] = PluginHarness.ip(h.added(ids[i], h.pod("pod" + (i + 1)), "eth0", h.conf()), 0);
        }
        assertEquals(3, h.hostVeths().size());
    }

    @AfterEach
    void tearDown() { if (h != null) h.close(); }

    @ParameterizedTest
    @ValueSource(strings = {NetConf.VALID_ATTACHMENTS, NetConf.ATTACHMENTS})
    void gcReleasesEverythingButTheListedAttachment(String key) {
        Map<String, Object> conf = h.conf();
        conf.put(key, List.of(Map.of("containerID", "c2", "ifname", "eth0")));
        silentOk(h.gc(json(conf)));

        assertEquals(List.of(hostVeth("c2", "eth0")), h.hostVeths(), "only the listed attachment's veth stays");
        assertReleased(h.reservationFile(ips[0]));
        assertReserved(h.reservationFile(ips[1]));
        assertReleased(h.reservationFile(ips[2]));
        assertTrue(link(h.podName("pod1"), "eth0").isEmpty(), "pod1's end went with its host veth");
        assertTrue(link(h.podName("pod3"), "eth0").isEmpty(), "pod3's end went with its host veth");

        String kept = h.podName("pod2");
        assertTrue(addr(kept, "eth0", ips[1]).isPresent(), "the listed pod keeps its address");
        assertTrue(ping(kept, GATEWAY), "the listed pod still reaches the gateway");
        assertEquals("cni0", link(h.node, hostVeth("c2", "eth0")).orElseThrow().get("master"));
    }

    @Test
    void gcWithoutAListRemovesNothing() {
        silentOk(h.gc(json(h.conf())));
        assertEquals(3, h.hostVeths().size());
        for (String ip : ips) assertReserved(h.reservationFile(ip));
    }

    @Test
    void gcLeavesLinksThatAreNotJcnisHostVeths() {
        // a veth on the bridge without jcni's prefix, and a jc* veth on no bridge: neither is GC's to remove
        dev.jcni.testing.Sh.ip(h.node, "link", "add", "other0", "type", "veth", "peer", "name", "other1").ok();
        dev.jcni.testing.Sh.ip(h.node, "link", "set", "other0", "master", "cni0").ok();
        dev.jcni.testing.Sh.ip(h.node, "link", "add", "jcloose", "type", "veth", "peer", "name", "jcloose-peer").ok();
        Map<String, Object> conf = h.conf();
        conf.put(NetConf.VALID_ATTACHMENTS, List.of());
        silentOk(h.gc(json(conf)));
        assertTrue(link(h.node, "other0").isPresent());
        assertTrue(link(h.node, "jcloose").isPresent());
        assertEquals(List.of("jcloose", "jcloose-peer"), h.hostVeths().stream().sorted().toList());
        assertEquals(List.of(), h.reservationFiles());
    }

    @Test
    void gcLeavesAnotherNetworksPodOnTheSameBridge() {
        // cni-spec.md: GC releases what belongs to *this* network. A second jcni network that shares the
        // default bridge (its own name, its own half of the pod range) must survive GC of the first.
        Map<String, Object> other = h.conf();
        other.put("name", "jtother");
        other.put("podcidr", "10.240.0.128/25");
        String otherIp = PluginHarness.ip(h.added("o1", h.pod("other1"), "eth0", other), 0);
        Map<String, Object> conf = h.conf();
        conf.put(NetConf.VALID_ATTACHMENTS, List.of());
        silentOk(h.gc(json(conf)));
        assertEquals(List.of(hostVeth("o1", "eth0")), h.hostVeths(), "the other network's pod is not this GC's to remove");
        assertReserved(PluginHarness.reservationFile(h.dataDir.resolve("jtother"), otherIp));
    }
}
