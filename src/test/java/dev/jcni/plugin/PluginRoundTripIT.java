package dev.jcni.plugin;

import dev.jcni.testing.Cni;
import dev.jcni.testing.Privileged;
import dev.jcni.testing.Sh;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.jcni.plugin.PluginHarness.GATEWAY;
import static dev.jcni.plugin.PluginHarness.addr;
import static dev.jcni.plugin.PluginHarness.addrs;
import static dev.jcni.plugin.PluginHarness.defaultRoutes;
import static dev.jcni.plugin.PluginHarness.hostVeth;
import static dev.jcni.plugin.PluginHarness.json;
import static dev.jcni.plugin.PluginHarness.link;
import static dev.jcni.plugin.PluginHarness.ping;
import static dev.jcni.plugin.PluginHarness.silentOk;
import static dev.jcni.plugin.PluginHarness.withPrev;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ADD, CHECK and DEL of dist/bin/jcni, run in a node namespace of the test's own, checked against
 * the kernel with {@code ip -j}; plus version handling of results and verbs.
 */
@Privileged
class PluginRoundTripIT extends PluginHarnessBase {
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> m, String key) { return (List<Map<String, Object>>) m.get(key); }

    @SuppressWarnings("unchecked")
    static Map<String, Object> slaveData(Map<String, Object> link) {
        Map<String, Object> info = (Map<String, Object>) link.get("linkinfo");
        return (Map<String, Object>) info.get("info_slave_data");
    }

    @SuppressWarnings("unchecked")
    static String kind(Map<String, Object> link) {
        return (String) ((Map<String, Object>) link.get("linkinfo")).get("info_kind");
    }

    /** IFF_UP, set by the plugin; operstate would race the kernel's asynchronous carrier update. */
    @SuppressWarnings("unchecked")
    static boolean adminUp(Map<String, Object> link) { return ((List<String>) link.get("flags")).contains("UP"); }

    static int mtu(Map<String, Object> link) { return ((Number) link.get("mtu")).intValue(); }

    // ---- ADD -----------------------------------------------------------------------------------

    @Test
    void addReportsBridgeHostVethAndPodInterface() {
        Path pod = h.pod("pod1");
        Map<String, Object> conf = h.conf();
        conf.put("mtu", 1400);
        Map<String, Object> r = h.added("c1", pod, "eth0", conf);
        String veth = hostVeth("c1", "eth0");

        assertEquals("1.1.0", r.get("cniVersion"));
        List<Map<String, Object>> ifaces = list(r, "interfaces");
        assertEquals(3, ifaces.size(), "bridge, host veth, pod interface: " + ifaces);
        Map<String, Object> br = link(h.node, "cni0").orElseThrow();
        assertEquals("cni0", ifaces.get(0).get("name"));
        assertEquals(br.get("address"), ifaces.get(0).get("mac"));
        assertNull(ifaces.get(0).get("sandbox"));
        assertEquals(veth, ifaces.get(1).get("name"));
        assertTrue(veth.startsWith("jc"));
        assertNull(ifaces.get(1).get("sandbox"));
        Map<String, Object> eth0 = link(h.podName("pod1"), "eth0").orElseThrow();
        assertEquals("eth0", ifaces.get(2).get("name"));
        assertEquals(pod.toString(), ifaces.get(2).get("sandbox"));
        assertEquals(eth0.get("address"), ifaces.get(2).get("mac"));
        assertEquals(1400, ((Number) ifaces.get(2).get("mtu")).intValue());

        List<Map<String, Object>> ips = list(r, "ips");
        assertEquals(1, ips.size());
        assertEquals("10.240.0.2/24", ips.getFirst().get("address"));
        assertEquals(GATEWAY, ips.getFirst().get("gateway"));
        assertEquals(2, ((Number) ips.getFirst().get("interface")).intValue());
        assertEquals(List.of(Map.of("dst", "0.0.0.0/0", "gw", GATEWAY)), r.get("routes"));
    }

    @Test
    void addConfiguresTheKernel() throws IOException {
        Path pod = h.pod("pod1");
        Map<String, Object> conf = h.conf();
        conf.put("mtu", 1400);
        h.added("c1", pod, "eth0", conf);
        String veth = hostVeth("c1", "eth0");
        String podNs = h.podName("pod1");

        Map<String, Object> br = link(h.node, "cni0").orElseThrow(() -> new AssertionError("no bridge cni0"));
        assertEquals("bridge", kind(br));
        assertEquals(1400, mtu(br));
        assertTrue(adminUp(br), "bridge is up: " + br.get("flags"));
        Map<String, Object> gw = addr(h.node, "cni0", GATEWAY).orElseThrow(() -> new AssertionError("cni0 lacks " + GATEWAY));
        assertEquals(24, ((Number) gw.get("prefixlen")).intValue());

        Map<String, Object> hv = link(h.node, veth).orElseThrow(() -> new AssertionError("no host veth " + veth));
        assertEquals("veth", kind(hv));
        assertEquals("cni0", hv.get("master"));
        assertEquals(Boolean.TRUE, slaveData(hv).get("hairpin"), "hairpinMode defaults to true");
        assertEquals(1400, mtu(hv));
        assertTrue(adminUp(hv), "host veth is up: " + hv.get("flags"));

        Map<String, Object> eth0 = link(podNs, "eth0").orElseThrow();
        assertEquals("veth", kind(eth0));
        assertEquals(1400, mtu(eth0));
        assertTrue(adminUp(eth0), "pod interface is up: " + eth0.get("flags"));
        Map<String, Object> a = addr(podNs, "eth0", "10.240.0.2").orElseThrow(() -> new AssertionError("pod lacks 10.240.0.2"));
        assertEquals(24, ((Number) a.get("prefixlen")).intValue());
        List<Map<String, Object>> def = defaultRoutes(podNs, "-4");
        assertEquals(1, def.size(), "one IPv4 default route: " + def);
        assertEquals(GATEWAY, def.getFirst().get("gateway"));
        assertEquals("eth0", def.getFirst().get("dev"));

        assertEquals("c1\neth0", Files.readString(h.reservationFile("10.240.0.2")));
    }

    @Test
    void hairpinModeFalseLeavesHairpinOff() {
        Map<String, Object> conf = h.conf();
        conf.put("hairpinMode", false);
        h.added("c1", h.pod("pod1"), "eth0", conf);
        assertEquals(Boolean.FALSE, slaveData(link(h.node, hostVeth("c1", "eth0")).orElseThrow()).get("hairpin"));
    }

    @Test
    void mtuDefaultsToTheNodesDefaultRouteInterface() {
        // a veth pair stands in for the uplink (this kernel may lack the dummy driver)
        Sh.ip(h.node, "link", "add", "uplink", "mtu", "1460", "type", "veth", "peer", "name", "uplink-peer", "mtu", "1460").ok();
        Sh.ip(h.node, "link", "set", "uplink-peer", "up").ok();
        Sh.ip(h.node, "link", "set", "uplink", "up").ok();
        Sh.ip(h.node, "addr", "add", "192.0.2.10/24", "dev", "uplink").ok();
        Sh.ip(h.node, "route", "add", "default", "via", "192.0.2.1").ok();
        h.added("c1", h.pod("pod1"), "eth0", h.conf());
        assertEquals(1460, mtu(link(h.node, "cni0").orElseThrow()));
        assertEquals(1460, mtu(link(h.node, hostVeth("c1", "eth0")).orElseThrow()));
        assertEquals(1460, mtu(link(h.podName("pod1"), "eth0").orElseThrow()));
    }

    @Test
    void mtuDefaultsTo1500WithoutADefaultRoute() {
        h.added("c1", h.pod("pod1"), "eth0", h.conf());
        assertEquals(1500, mtu(link(h.podName("pod1"), "eth0").orElseThrow()));
        assertEquals(1500, mtu(link(h.node, hostVeth("c1", "eth0")).orElseThrow()));
    }

    @Test
    void addFailsAndChangesNothingWhenTheIfnameExists() {
        Path pod = h.pod("pod1");
        String podNs = h.podName("pod1");
        Sh.ip(podNs, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0-peer").ok();
        Cni.Call c = h.add("c1", pod, "eth0", json(h.conf()));
        assertEquals(1, c.exit(), c.stdout());
        assertTrue(c.code() != 0);
        assertTrue(((String) c.json().get("msg")).contains("eth0"), "msg names the interface: " + c.stdout());
        assertEquals(List.of(), h.hostVeths(), "no host veth was made");
        assertTrue(link(h.node, "cni0").isEmpty(), "no bridge was made");
        assertEquals(List.of(), h.reservationFiles(), "no address was reserved");
        assertTrue(link(podNs, "eth0-peer").isPresent(), "the pod's own eth0 pair is untouched");
        assertFalse(adminUp(link(podNs, "eth0").orElseThrow()), "and was not brought up");
        assertTrue(addrs(podNs, "eth0").stream().noneMatch(a -> "inet".equals(a.get("family"))));
    }

    // ---- CHECK ---------------------------------------------------------------------------------

    @Test
    void checkSucceedsSilentlyAgainstTheAddResult() {
        Path pod = h.pod("pod1");
        Map<String, Object> r = h.added("c1", pod, "eth0", h.conf());
        silentOk(h.check("c1", pod, "eth0", withPrev(h.conf(), r)));
    }

    private void assertCheckFails(Path pod, Map<String, Object> prev, String... named) {
        Cni.Call c = h.check("c1", pod, "eth0", withPrev(h.conf(), prev));
        assertEquals(1, c.exit(), "CHECK should fail: " + c.stdout());
        assertEquals(JcniPlugin.CODE_CHECK_FAILED, c.code(), c.stdout());
        String msg = (String) c.json().get("msg");
        for (String n : named) assertTrue(msg.contains(n), "msg should name " + n + ": " + msg);
    }

    @Test
    void checkNamesAMissingDefaultRoute() {
        Path pod = h.pod("pod1");
        Map<String, Object> r = h.added("c1", pod, "eth0", h.conf());
        Sh.ip(h.podName("pod1"), "route", "del", "default").ok();
        assertCheckFails(pod, r, "route", "0.0.0.0/0", "missing");
    }

    @Test
    void checkNamesAMissingAddress() {
        Path pod = h.pod("pod1");
        Map<String, Object> r = h.added("c1", pod, "eth0", h.conf());
        Sh.ip(h.podName("pod1"), "addr", "del", "10.240.0.2/24", "dev", "eth0").ok();
        assertCheckFails(pod, r, "address", "10.240.0.2/24", "missing");
    }

    @Test
    void checkNamesAMissingHostVeth() {
        Path pod = h.pod("pod1");
        Map<String, Object> r = h.added("c1", pod, "eth0", h.conf());
        Sh.ip(h.node, "link", "del", hostVeth("c1", "eth0")).ok();
        assertCheckFails(pod, r, hostVeth("c1", "eth0"), "missing");
    }

    @Test
    void checkNamesAReleasedReservation() throws IOException {
        Path pod = h.pod("pod1");
        Map<String, Object> r = h.added("c1", pod, "eth0", h.conf());
        Files.delete(h.reservationFile("10.240.0.2"));
        Cni.Call c = h.check("c1", pod, "eth0", withPrev(h.conf(), r));
        assertEquals(1, c.exit(), c.stdout());
        assertTrue(((String) c.json().get("msg")).contains("10.240.0.2/24"), c.stdout());
    }

    // ---- DEL and traffic -----------------------------------------------------------------------

    @Test
    void delRemovesTheVethAndTheReservation() {
        Path pod = h.pod("pod1");
        Map<String, Object> r = h.added("c1", pod, "eth0", h.conf());
        silentOk(h.del("c1", pod, "eth0", withPrev(h.conf(), r)));
        assertEquals(List.of(), h.hostVeths());
        assertTrue(link(h.podName("pod1"), "eth0").isEmpty(), "the pod end goes with the host end");
        PluginHarness.assertReleased(h.reservationFile("10.240.0.2"));
        assertTrue(link(h.node, "cni0").isPresent(), "the bridge is shared and stays");
    }

    @Test
    void twoPodsPingEachOtherAndTheGateway() {
        Path p1 = h.pod("pod1");
        Path p2 = h.pod("pod2");
        String a1 = PluginHarness.ip(h.added("c1", p1, "eth0", h.conf()), 0);
        String a2 = PluginHarness.ip(h.added("c2", p2, "eth0", h.conf()), 0);
        assertFalse(a1.equals(a2), "distinct addresses");
        assertTrue(ping(h.podName("pod1"), GATEWAY), "pod1 -> gateway");
        assertTrue(ping(h.podName("pod2"), GATEWAY), "pod2 -> gateway");
        assertTrue(ping(h.podName("pod1"), a2), "pod1 -> pod2 " + a2);
        assertTrue(ping(h.podName("pod2"), a1), "pod2 -> pod1 " + a1);
    }

    // ---- versions ------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"})
    void resultIsConvertedToTheConfigsVersion(String version) {
        Map<String, Object> r = h.added("c1", h.pod("pod1"), "eth0", h.conf(version));
        assertEquals(version, r.get("cniVersion"));
        Map<String, Object> ip = list(r, "ips").getFirst();
        Map<String, Object> podIface = list(r, "interfaces").get(2);
        switch (version) {
            case "0.3.0", "0.3.1", "0.4.0" -> assertEquals("4", ip.get("version"), "pre-1.0.0 ips carry version");
            default -> assertFalse(ip.containsKey("version"), "1.0.0+ ips have no version");
        }
        if (version.equals("1.1.0")) {
            assertEquals(1500, ((Number) podIface.get("mtu")).intValue(), "1.1.0 reports the interface mtu");
        } else {
            assertFalse(podIface.containsKey("mtu"), "mtu is a 1.1.0 field");
        }
        assertEquals(2, ((Number) ip.get("interface")).intValue());
    }

    @Test
    void checkOnA031ConfigIsCode1() {
        Path pod = h.pod("pod1");
        Map<String, Object> r = h.added("c1", pod, "eth0", h.conf("0.3.1"));
        Cni.Call c = h.check("c1", pod, "eth0", withPrev(h.conf("0.3.1"), r));
        assertEquals(1, c.code(), c.stdout());
        assertEquals("0.3.1", c.json().get("cniVersion"));
    }

    @Test
    void statusAndGcOnA100ConfigAreCode1() {
        String conf = json(h.conf("1.0.0"));
        Cni.Call status = h.status(conf);
        assertEquals(1, status.code(), status.stdout());
        Cni.Call gc = h.gc(conf);
        assertEquals(1, gc.code(), gc.stdout());
        assertEquals("1.0.0", gc.json().get("cniVersion"));
    }

    @Test
    void statusOnA110ConfigIsReady() {
        silentOk(h.status(json(h.conf())));
    }

    @Test
    void versionListsEverySupportedVersion() {
        Cni.Call c = h.call(Cni.env("VERSION", null, null, null), "{\"cniVersion\":\"1.0.0\"}").ok();
        assertEquals(List.of("0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"), c.json().get("supportedVersions"));
        assertEquals("1.0.0", c.json().get("cniVersion"));
    }
}
