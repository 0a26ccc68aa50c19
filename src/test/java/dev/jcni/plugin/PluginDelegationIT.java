package dev.jcni.plugin;

import dev.jcni.json.Json;
import dev.jcni.testing.Cni;
import dev.jcni.testing.Dist;
import dev.jcni.testing.Privileged;
import dev.jcni.testing.Sh;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.jcni.plugin.PluginHarness.GATEWAY;
import static dev.jcni.plugin.PluginHarness.addr;
import static dev.jcni.plugin.PluginHarness.json;
import static dev.jcni.plugin.PluginHarness.link;
import static dev.jcni.plugin.PluginHarness.ping;
import static dev.jcni.plugin.PluginHarness.silentOk;
import static dev.jcni.plugin.PluginHarness.withPrev;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ipam: {"type":"host-local"}}: addresses come from the reference host-local on CNI_PATH, and
 * every verb is forwarded to it. host-local keeps its store in its own dataDir (here under the test's
 * temp dir), as &lt;dataDir&gt;/&lt;network name&gt;/&lt;ip&gt;.
 */
@Privileged
class PluginDelegationIT {
    static final Path HOST_LOCAL = Dist.referencePlugins().resolve("host-local");

    @TempDir
    Path tmp;
    PluginHarness h;
    Path hostLocalData;

    @BeforeEach
    void setUp() {
        Assumptions.assumeTrue(Files.isExecutable(HOST_LOCAL),
                "skipped: " + HOST_LOCAL + " is missing (install Debian's containernetworking-plugins)");
        h = new PluginHarness(tmp);
        hostLocalData = tmp.resolve("host-local");
    }

    @AfterEach
    void tearDown() { if (h != null) h.close(); }

    /** The network config with delegated IPAM. host-local 1.1.x speaks at most 1.0.0, hence the default. */
    private Map<String, Object> conf(String version, String subnet) {
        Map<String, Object> c = h.conf(version);
        c.remove("podcidr");
        c.put("ipam", Map.of("type", "host-local", "ranges", List.of(List.of(Map.of("subnet", subnet))),
                "dataDir", hostLocalData.toString()));
        return c;
    }

    private Map<String, Object> conf() { return conf("1.0.0", PluginHarness.POD_CIDR); }

    private Path hostLocalFile(String ip) {
        return PluginHarness.reservationFile(hostLocalData.resolve(PluginHarness.NETWORK), ip);
    }

    /** The versions the installed host-local speaks, from its own VERSION answer. */
    @SuppressWarnings("unchecked")
    private static List<String> hostLocalVersions() {
        Sh.Result r = Sh.run(List.of("env", "-i", "CNI_COMMAND=VERSION", HOST_LOCAL.toString()), "{\"cniVersion\":\"1.0.0\"}").ok();
        return (List<String>) ((Map<String, Object>) Json.parse(r.out())).get("supportedVersions");
    }

    private static void assumeHostLocalSpeaks110() {
        List<String> versions = hostLocalVersions();
        Assumptions.assumeTrue(versions.contains("1.1.0"), "skipped: STATUS and GC need a config of cniVersion 1.1.0, "
                + "which jcni forwards as is, but the installed " + HOST_LOCAL + " speaks only " + versions);
    }

    @Test
    void addTakesItsAddressFromHostLocal() throws IOException {
        Path pod = h.pod("pod1");
        Map<String, Object> r = h.added("c1", pod, "eth0", conf());
        String ip = PluginHarness.ip(r, 0);
        assertTrue(ip.startsWith("10.240.0."), ip);
        Path file = hostLocalFile(ip);
        PluginHarness.assertReserved(file);
        assertTrue(Files.readString(file).startsWith("c1"), "host-local records the container: " + Files.readString(file));
        assertEquals(List.of(), h.reservationFiles(), "the built-in allocator reserved nothing");

        @SuppressWarnings("unchecked")
        Map<String, Object> ipEntry = ((List<Map<String, Object>>) r.get("ips")).getFirst();
        assertEquals(2, ((Number) ipEntry.get("interface")).intValue());
        assertEquals(GATEWAY, ipEntry.get("gateway"));
        assertTrue(addr(h.podName("pod1"), "eth0", ip).isPresent(), "pod has " + ip);
        assertTrue(addr(h.node, "cni0", GATEWAY).isPresent(), "bridge has the gateway");
        assertTrue(ping(h.podName("pod1"), GATEWAY), "pod reaches the gateway");
    }

    @Test
    void checkIsForwardedToHostLocal() throws IOException {
        Path pod = h.pod("pod1");
        Map<String, Object> r = h.added("c1", pod, "eth0", conf());
        silentOk(h.check("c1", pod, "eth0", withPrev(conf(), r)));
        // The kernel side is intact; only host-local's record is gone, so only a forwarded CHECK can notice.
        Files.delete(hostLocalFile(PluginHarness.ip(r, 0)));
        Cni.Call c = h.check("c1", pod, "eth0", withPrev(conf(), r));
        assertEquals(1, c.exit(), "CHECK must fail once host-local has no record: " + c.stdout());
        assertTrue(c.code() != 0);
    }

    @Test
    void delReleasesHostLocalsReservation() {
        Path pod = h.pod("pod1");
        Map<String, Object> r = h.added("c1", pod, "eth0", conf());
        Path file = hostLocalFile(PluginHarness.ip(r, 0));
        PluginHarness.assertReserved(file);
        silentOk(h.del("c1", pod, "eth0", withPrev(conf(), r)));
        PluginHarness.assertReleased(file);
        assertEquals(List.of(), h.hostVeths());
        silentOk(h.del("c1", pod, "eth0", json(conf())));
    }

    @Test
    void hostLocalsErrorIsPassedBackAndNothingIsLeft() {
        Path pod = h.pod("pod1");
        Cni.Call c = h.add("c1", pod, "eth0", json(conf("1.0.0", "banana")));
        assertEquals(1, c.exit(), c.stdout());
        assertTrue(((String) c.json().get("msg")).contains("banana"), "host-local's message comes through: " + c.stdout());
        assertEquals(List.of(), h.hostVeths());
        assertTrue(link(h.podName("pod1"), "eth0").isEmpty());
        assertEquals(List.of(), PluginHarness.reservationFiles(hostLocalData));
    }

    @Test
    void statusIsForwardedToHostLocal() {
        assumeHostLocalSpeaks110();
        silentOk(h.status(json(conf("1.1.0", PluginHarness.POD_CIDR))));
    }

    @Test
    void gcWithAnEmptyListReleasesHostLocalsReservation() {
        assumeHostLocalSpeaks110();
        Map<String, Object> conf = conf("1.1.0", PluginHarness.POD_CIDR);
        Map<String, Object> r = h.added("c1", h.pod("pod1"), "eth0", conf);
        Path file = hostLocalFile(PluginHarness.ip(r, 0));
        PluginHarness.assertReserved(file);
        conf.put("cni.dev/valid-attachments", List.of());
        silentOk(h.gc(json(conf)));
        PluginHarness.assertReleased(file);
        assertEquals(List.of(), h.hostVeths());
    }
}
