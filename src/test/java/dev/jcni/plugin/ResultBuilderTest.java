package dev.jcni.plugin;

import dev.jcni.json.Json;
import dev.jcni.netlink.Inet;
import dev.jcni.netlink.IpNet;
import dev.jcni.netlink.Link;
import dev.jcni.spec.CniVersion;
import dev.jcni.spec.Command;
import dev.jcni.spec.CniRequest;
import dev.jcni.spec.Dns;
import dev.jcni.spec.Interface;
import dev.jcni.spec.IpConfig;
import dev.jcni.spec.NetConf;
import dev.jcni.spec.Result;
import dev.jcni.spec.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ADD result: default routes per family, the three interfaces, and chaining over a prevResult. */
class ResultBuilderTest {
    static final String NETNS = "/run/netns/pod1";
    static final PodAddress V4 = new PodAddress(IpNet.parse("10.240.0.5/24"), Inet.parse("10.240.0.1"));
    static final PodAddress V6 = new PodAddress(IpNet.parse("fd00:10:240::5/64"), Inet.parse("fd00:10:240::1"));

    static final Link BRIDGE = new Link(3, "cni0", "bridge", 1400, true, true, "0a:58:0a:f0:00:01", 0, 0, null, null, null, null);
    static final Link HOST_VETH = new Link(7, "jcec43057c07aaa", "veth", 1400, true, true, "42:91:4f:f7:37:7b", 3, 2, 0, true, null, null);
    static final Link POD = new Link(2, "eth0", "veth", 1400, true, true, "9a:a6:63:86:49:16", 0, 7, 0, null, null, null);

    static Lease lease(PodAddress... addresses) { return new Lease(List.of(addresses), List.of(), Dns.EMPTY); }

    static CniRequest request(String version, String extraKeys) {
        String json = "{\"cniVersion\":\"" + version + "\",\"name\":\"net1\",\"type\":\"jcni\",\"podcidr\":\"10.240.0.0/24\""
                + extraKeys + "}";
        byte[] stdin = json.getBytes(StandardCharsets.UTF_8);
        return new CniRequest(Command.ADD, "c1", NETNS, "eth0", Map.of(), List.of("/opt/cni/bin"),
                NetConf.parse(stdin), stdin, Map.of());
    }

    static Result build(CniRequest req, Lease lease) {
        PluginConfig cfg = PluginConfig.from(req.conf());
        return ResultBuilder.build(req, cfg, lease, ResultBuilder.routes(lease), BRIDGE, HOST_VETH, POD);
    }

    // ---- routes ------------------------------------------------------------------------------

    @Test
    void defaultRouteViaTheGatewayForIpv4() {
        assertEquals(List.of(new Route("0.0.0.0/0", "10.240.0.1")), ResultBuilder.routes(lease(V4)));
    }

    @Test
    void defaultRouteViaTheGatewayForIpv6() {
        assertEquals(List.of(new Route("::/0", "fd00:10:240::1")), ResultBuilder.routes(lease(V6)));
    }

    @Test
    void oneDefaultRoutePerFamilyForDualStack() {
        assertEquals(List.of(new Route("0.0.0.0/0", "10.240.0.1"), new Route("::/0", "fd00:10:240::1")),
                ResultBuilder.routes(lease(V4, V6)));
    }

    @Test
    void ipamRoutesReplaceTheDefaultsAndGetTheirFamilysGateway() {
        Lease l = new Lease(List.of(V4, V6), List.of(
                new Route("192.168.0.0/16", null),
                new Route("fd00:99::/48", null),
                new Route("172.16.0.0/12", "10.240.0.254")), Dns.EMPTY);
        assertEquals(List.of(
                new Route("192.168.0.0/16", "10.240.0.1"),
                new Route("fd00:99::/48", "fd00:10:240::1"),
                new Route("172.16.0.0/12", "10.240.0.254")), ResultBuilder.routes(l));
    }

    @Test
    void ipamRouteKeepsItsExtendedFieldsWhenTheGatewayIsFilledIn() {
        Lease l = new Lease(List.of(V4), List.of(new Route("0.0.0.0/0", null, 1400, 1360, 100, 254, 0)), Dns.EMPTY);
        assertEquals(List.of(new Route("0.0.0.0/0", "10.240.0.1", 1400, 1360, 100, 254, 0)), ResultBuilder.routes(l));
    }

    // ---- build -------------------------------------------------------------------------------

    @Test
    void bridgeHostVethAndPodInterface() {
        Result r = build(request("1.1.0", ""), lease(V4));
        assertEquals(CniVersion.V1_1_0, r.cniVersion());
        assertEquals(List.of(
                new Interface("cni0", "0a:58:0a:f0:00:01", 1400, null, null, null),
                new Interface("jcec43057c07aaa", "42:91:4f:f7:37:7b", 1400, null, null, null),
                new Interface("eth0", "9a:a6:63:86:49:16", 1400, NETNS, null, null)), r.interfaces());
        assertEquals(List.of(new IpConfig("10.240.0.5/24", "10.240.0.1", 2)), r.ips());
        assertEquals(List.of(new Route("0.0.0.0/0", "10.240.0.1")), r.routes());
        assertTrue(r.dns().isEmpty());
    }

    @Test
    void dualStackAddressesBothPointAtThePodInterface() {
        Result r = build(request("1.1.0", ",\"podcidrs\":[\"10.240.0.0/24\",\"fd00:10:240::/64\"]"), lease(V4, V6));
        assertEquals(List.of(new IpConfig("10.240.0.5/24", "10.240.0.1", 2), new IpConfig("fd00:10:240::5/64", "fd00:10:240::1", 2)),
                r.ips());
        assertEquals(2, r.routes().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"})
    void resultIsInTheConfigsVersion(String version) {
        Result r = build(request(version, ""), lease(V4));
        assertEquals(CniVersion.parse(version), r.cniVersion());
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Json.parse(Json.write(r.toJson(r.cniVersion())));
        assertEquals(version, json.get("cniVersion"));
        @SuppressWarnings("unchecked")
        Map<String, Object> ip = ((List<Map<String, Object>>) json.get("ips")).getFirst();
        @SuppressWarnings("unchecked")
        Map<String, Object> pod = ((List<Map<String, Object>>) json.get("interfaces")).get(2);
        if (CniVersion.parse(version).atLeast(CniVersion.V1_0_0)) assertNull(ip.get("version"));
        else assertEquals("4", ip.get("version"));
        if (version.equals("1.1.0")) assertEquals(1400L, ((Number) pod.get("mtu")).longValue());
        else assertFalse(pod.containsKey("mtu"));
        assertEquals(NETNS, pod.get("sandbox"));
    }

    @Test
    void configDnsIsReported() {
        Result r = build(request("1.1.0", ",\"dns\":{\"nameservers\":[\"10.96.0.10\"],\"search\":[\"svc.cluster.local\"]}"), lease(V4));
        assertEquals(new Dns(List.of("10.96.0.10"), null, List.of("svc.cluster.local"), List.of()), r.dns());
    }

    @Test
    void ipamDnsIsReportedWhenTheConfigHasNone() {
        Dns dns = new Dns(List.of("10.96.0.53"), "cluster.local", List.of(), List.of());
        Result r = build(request("1.1.0", ""), new Lease(List.of(V4), List.of(), dns));
        assertEquals(dns, r.dns());
    }

    // ---- chaining ----------------------------------------------------------------------------

    private static final String PREV = """
            ,"prevResult":{"cniVersion":"1.1.0",
              "interfaces":[{"name":"ovs0","mac":"02:00:00:00:00:01"},{"name":"net0","sandbox":"/run/netns/pod1"}],
              "ips":[{"interface":1,"address":"192.168.50.7/24","gateway":"192.168.50.1"}],
              "routes":[{"dst":"192.168.0.0/16","gw":"192.168.50.1"}],
              "dns":{"nameservers":["192.168.50.53"]}}
            """;

    @Test
    void chainingKeepsPrevResultEntriesAndOffsetsTheInterfaceIndex() {
        Result r = build(request("1.1.0", PREV), lease(V4));
        assertEquals(List.of("ovs0", "net0", "cni0", "jcec43057c07aaa", "eth0"),
                r.interfaces().stream().map(Interface::name).toList());
        assertEquals(new Interface("ovs0", "02:00:00:00:00:01", null, null, null, null), r.interfaces().get(0));
        assertEquals(new Interface("net0", null, null, "/run/netns/pod1", null, null), r.interfaces().get(1));
        assertEquals(NETNS, r.interfaces().get(4).sandbox());
        assertEquals(List.of(new IpConfig("192.168.50.7/24", "192.168.50.1", 1), new IpConfig("10.240.0.5/24", "10.240.0.1", 4)),
                r.ips(), "ours points at index 2 + the number of earlier interfaces");
        assertEquals(List.of(new Route("192.168.0.0/16", "192.168.50.1"), new Route("0.0.0.0/0", "10.240.0.1")), r.routes());
    }

    @Test
    void chainingKeepsPrevResultDnsWhenJcniHasNone() {
        // cni-spec.md: "never drop what earlier plugins reported"
        Result r = build(request("1.1.0", PREV), lease(V4));
        assertEquals(List.of("192.168.50.53"), r.dns().nameservers());
    }

    @Test
    void chainingOverAnIpamOnlyPrevResult() {
        // a prevResult with ips but no interfaces: ours still start at index 0
        Result r = build(request("1.0.0", ",\"prevResult\":{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.99.0.2/24\"}]}"), lease(V4));
        assertEquals(3, r.interfaces().size());
        assertEquals(List.of(new IpConfig("10.99.0.2/24", null, null), new IpConfig("10.240.0.5/24", "10.240.0.1", 2)), r.ips());
    }
}
