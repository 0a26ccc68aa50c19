package dev.jcni.netlink;

import dev.jcni.json.Json;
import dev.jcni.testing.Privileged;
import dev.jcni.testing.Sh;
import dev.jcni.testing.TestNamespaces;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.jcni.netlink.codec.Rtnl.*;
import static org.junit.jupiter.api.Assertions.*;

/** The facade against a real kernel, in namespaces of the test's own, cross-checked with {@code ip -j}. */
@Privileged
class NetlinkKernelTest {
    private TestNamespaces ns;
    private Path host;
    private Path pod;
    private Netlink nl;

    @BeforeEach
    void setUp() {
        ns = new TestNamespaces();
        host = ns.create("host");
        pod = ns.create("pod");
        nl = Netlink.openIn(host);
    }

    @AfterEach
    void tearDown() {
        try { if (nl != null) nl.close(); } finally { ns.close(); }
    }

    private String hostName() { return host.getFileName().toString(); }

    private String podName() { return pod.getFileName().toString(); }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> ipJson(String netns, String... args) {
        String[] full = new String[args.length + 1];
        full[0] = "-j";
        System.arraycopy(args, 0, full, 1, args.length);
        return (List<Map<String, Object>>) Json.parse(Sh.ip(netns, full).ok().out());
    }

    @Test
    void bridgeUpWithAddressAndMtu() {
        nl.links().add(new LinkSpec.Bridge("br0", 1400));
        nl.links().setUp("br0");
        nl.addrs().add("br0", IpNet.parse("10.240.0.1/24"));
        Link br = nl.links().get("br0");
        assertEquals("bridge", br.kind());
        assertEquals(1400, br.mtu());
        assertTrue(br.up());
        assertEquals(List.of("10.240.0.1/24"), nl.addrs().list("br0").stream().filter(a -> !a.address().isIpv6()).map(a -> a.address().toString()).toList());

        Map<String, Object> ip = ipJson(hostName(), "-d", "link", "show", "br0").getFirst();
        assertEquals(1400L, ip.get("mtu"));
        assertEquals(br.mac(), ip.get("address"));
        assertEquals((long) br.index(), ip.get("ifindex"));
        assertEquals("bridge", ((Map<?, ?>) ip.get("linkinfo")).get("info_kind"));
        Map<String, Object> addr = ipJson(hostName(), "addr", "show", "br0").getFirst();
        assertEquals("10.240.0.1", ((Map<?, ?>) ((List<?>) addr.get("addr_info")).getFirst()).get("local"));
    }

    @Test
    void vethWithPeerCreatedInsideAnotherNamespaceThenEnslavedAndRenamed() {
        nl.links().add(new LinkSpec.Bridge("br0", 0));
        try (NsFd podFd = NetNs.open(pod)) {
            nl.links().add(new LinkSpec.Veth("vh0", "tmp0", 1450, podFd));
        }
        assertTrue(nl.links().find("tmp0").isEmpty(), "the peer never appears in the host namespace");
        nl.links().setMaster("vh0", "br0");
        nl.links().setHairpin("vh0", true);
        nl.links().setUp("vh0");
        Link vh = nl.links().get("vh0");
        assertEquals("veth", vh.kind());
        assertEquals(nl.links().get("br0").index(), vh.masterIndex());
        assertEquals(Boolean.TRUE, vh.hairpin());

        try (Netlink inPod = Netlink.openIn(pod)) {
            inPod.links().rename("tmp0", "eth0");
            inPod.links().setUp("eth0");
            inPod.addrs().add("eth0", IpNet.parse("10.240.0.5/24"));
            inPod.addrs().add("eth0", IpNet.parse("fd00:10:240::5/64"), true);
            Link eth0 = inPod.links().get("eth0");
            assertEquals(1450, eth0.mtu());
            assertEquals(vh.index(), eth0.parentIndex());
            assertTrue(inPod.addrs().list("eth0").stream().anyMatch(a -> a.address().isIpv6() && a.noDad()));
            inPod.routes().add(Route.defaultVia(InetAddress.ofLiteral("10.240.0.1"), eth0.index()).withOnlink(true));
            Route def = inPod.routes().listMain(AF_INET).stream().filter(Route::isDefault).findFirst().orElseThrow();
            assertEquals(InetAddress.ofLiteral("10.240.0.1"), def.gateway());
            assertTrue(def.onlink());

            Map<String, Object> ipEth0 = ipJson(podName(), "-d", "link", "show", "eth0").getFirst();
            assertEquals(eth0.mac(), ipEth0.get("address"));
            List<Map<String, Object>> routes = ipJson(podName(), "route", "show", "default");
            assertEquals("10.240.0.1", routes.getFirst().get("gateway"));
            List<Map<String, Object>> v6 = ipJson(podName(), "-6", "addr", "show", "eth0");
            assertTrue(Json.write(v6).contains("fd00:10:240::5"), Json.write(v6));
        }
        Map<String, Object> ipVh = ipJson(hostName(), "-d", "link", "show", "vh0").getFirst();
        assertEquals("br0", ipVh.get("master"));
        assertEquals(Boolean.TRUE, ((Map<?, ?>) ((Map<?, ?>) ipVh.get("linkinfo")).get("info_slave_data")).get("hairpin"));

        nl.links().del("vh0");
        assertTrue(nl.links().find("vh0").isEmpty());
        try (Netlink inPod = Netlink.openIn(pod)) {
            assertTrue(inPod.links().find("eth0").isEmpty(), "deleting one end removes the peer");
        }
    }

    @Test
    void linkSetDownNoMasterAndMoveToAnotherNamespaceByFd() {
        nl.links().add(new LinkSpec.Bridge("br0", 0));
        nl.links().add(new LinkSpec.Veth("va", "vb", 0));
        nl.links().setMaster("va", "br0");
        nl.links().setUp("va");
        assertTrue(nl.links().get("va").up());
        nl.links().setDown("va");
        assertFalse(nl.links().get("va").up());
        nl.links().setNoMaster("va");
        assertEquals(0, nl.links().get("va").masterIndex());
        assertFalse(Sh.ip(hostName(), "-d", "link", "show", "va").ok().out().contains("master br0"));
        try (NsFd podFd = NetNs.open(pod)) {
            nl.links().setNetns("vb", podFd);
        }
        assertTrue(nl.links().find("vb").isEmpty(), "moved out of the host namespace");
        try (Netlink inPod = Netlink.openIn(pod)) {
            assertEquals(nl.links().get("va").index(), inPod.links().get("vb").parentIndex());
        }
        assertTrue(Sh.ip(podName(), "link", "show", "vb").ok().out().contains("vb@"));
    }

    @Test
    void routesAddReplaceDelWithProtocolTableScope() {
        nl.links().add(new LinkSpec.Bridge("d0", 0)); // stand-in for a dummy: some kernels lack the dummy driver
        nl.links().setUp("d0");
        nl.addrs().add("d0", IpNet.parse("192.0.2.1/24"));
        int d0 = nl.links().get("d0").index();
        Route r = Route.via(IpNet.parse("198.51.100.0/24"), InetAddress.ofLiteral("192.0.2.2"), d0).withProtocol(77);
        nl.routes().add(r);
        assertThrows(AlreadyExistsException.class, () -> nl.routes().add(r));
        nl.routes().replace(r.withSrc(InetAddress.ofLiteral("192.0.2.1")));
        nl.routes().add(Route.link(IpNet.parse("203.0.113.0/24"), d0).withTable(100));
        List<Route> main = nl.routes().listMain(AF_INET);
        Route got = main.stream().filter(x -> x.dst() != null && x.dst().toString().equals("198.51.100.0/24")).findFirst().orElseThrow();
        assertEquals(77, got.protocol());
        assertEquals(InetAddress.ofLiteral("192.0.2.1"), got.prefSrc());
        assertTrue(nl.routes().list(AF_INET).stream().anyMatch(x -> x.table() == 100 && x.scope() == RT_SCOPE_LINK));

        List<Map<String, Object>> ip = ipJson(hostName(), "route", "show", "proto", "77");
        assertEquals("198.51.100.0/24", ip.getFirst().get("dst"));
        assertEquals("192.0.2.1", ip.getFirst().get("prefsrc"));
        assertEquals(1, ipJson(hostName(), "route", "show", "table", "100").size());

        assertEquals(d0, nl.routes().get(InetAddress.ofLiteral("198.51.100.7")).orElseThrow().oif());
        nl.routes().del(got);
        assertTrue(ipJson(hostName(), "route", "show", "proto", "77").isEmpty());
        NotFoundException nf = assertThrows(NotFoundException.class, () -> nl.routes().del(got));
        assertTrue(nf.getMessage().contains("198.51.100.0/24"), nf.getMessage());
    }

    @Test
    void vxlanWithNeighbourAndFdbEntries() {
        nl.links().add(new LinkSpec.Bridge("under0", 0)); // stand-in underlay device
        nl.links().setUp("under0");
        nl.addrs().add("under0", IpNet.parse("192.0.2.10/24"));
        int under = nl.links().get("under0").index();
        nl.links().add(new LinkSpec.Vxlan("vx0", 1, InetAddress.ofLiteral("192.0.2.10"), 4789, false, under, 1450));
        nl.links().setUp("vx0");
        Link vx = nl.links().get("vx0");
        assertEquals("vxlan", vx.kind());
        assertEquals(1, vx.vxlan().vni());
        assertEquals(4789, vx.vxlan().port());
        assertFalse(vx.vxlan().learning());
        assertEquals(InetAddress.ofLiteral("192.0.2.10"), vx.vxlan().local());

        String peerMac = "02:aa:bb:cc:dd:01";
        InetAddress peerVtep = InetAddress.ofLiteral("10.240.1.0");
        nl.neighs().replace(Neighbor.permanent(vx.index(), peerVtep, peerMac));
        nl.neighs().append(Neighbor.fdb(vx.index(), peerMac, InetAddress.ofLiteral("192.0.2.20")));
        assertTrue(nl.neighs().list(AF_INET, vx.index()).stream()
                .anyMatch(n -> peerVtep.equals(n.ip()) && peerMac.equals(n.mac()) && n.state() == NUD_PERMANENT));
        assertTrue(nl.neighs().list(AF_BRIDGE, vx.index()).stream()
                .anyMatch(n -> peerMac.equals(n.mac()) && InetAddress.ofLiteral("192.0.2.20").equals(n.ip())));

        Map<String, Object> ip = ipJson(hostName(), "-d", "link", "show", "vx0").getFirst();
        Map<?, ?> data = (Map<?, ?>) ((Map<?, ?>) ip.get("linkinfo")).get("info_data");
        assertEquals(1L, data.get("id"));
        assertEquals(4789L, data.get("port"));
        assertEquals(Boolean.FALSE, data.get("learning"));
        String fdb = Sh.run("bridge", "-n", hostName(), "-j", "fdb", "show", "dev", "vx0").ok().out();
        assertTrue(fdb.contains("192.0.2.20") && fdb.contains(peerMac), fdb);

        nl.neighs().del(Neighbor.fdb(vx.index(), peerMac, InetAddress.ofLiteral("192.0.2.20")));
        nl.neighs().del(Neighbor.permanent(vx.index(), peerVtep, peerMac));
        assertFalse(Sh.run("bridge", "-n", hostName(), "fdb", "show", "dev", "vx0").ok().out().contains("192.0.2.20"));
    }

    @Test
    void typedErrorsNameTheObjectAndCarryKernelText() {
        NotFoundException nf = assertThrows(NotFoundException.class, () -> nl.links().get("nope0"));
        assertTrue(nf.getMessage().contains("nope0"), nf.getMessage());
        nl.links().add(new LinkSpec.Bridge("d0", 0));
        AlreadyExistsException ex = assertThrows(AlreadyExistsException.class, () -> nl.links().add(new LinkSpec.Bridge("d0", 0)));
        assertEquals("d0", ex.object());
        // An invalid MTU is refused with the kernel's extended-ack message.
        KernelException k = assertThrows(KernelException.class, () -> nl.links().setMtu("d0", 10));
        assertNotNull(k.kernelMessage(), k.getMessage());
        assertThrows(NoSuchNamespaceException.class, () -> Netlink.openIn(Path.of("/run/netns/jt-does-not-exist")));
    }

    @Test
    void dummyLinksWhereTheKernelHasTheDriver() {
        try {
            nl.links().add(new LinkSpec.Dummy("dm0", 1300));
        } catch (KernelException e) {
            org.junit.jupiter.api.Assumptions.abort("skipped: this kernel has no dummy driver (" + e.getMessage() + ")");
        }
        assertEquals("dummy", nl.links().get("dm0").kind());
        assertEquals(1300, nl.links().get("dm0").mtu());
    }

    @Test
    void sysctlInsideTheNamespaceOnly() {
        String rootBefore = Sysctl.read("net.ipv4.ip_forward");
        String fresh = Sysctl.readIn(pod, "net.ipv4.ip_forward"); // new namespaces copy the host's value
        String other = fresh.equals("1") ? "0" : "1";
        Sysctl.writeIn(host, "net.ipv4.ip_forward", other);
        assertEquals(other, Sysctl.readIn(host, "net.ipv4.ip_forward"));
        assertEquals(fresh, Sysctl.readIn(pod, "net.ipv4.ip_forward"));
        assertEquals(rootBefore, Sysctl.read("net.ipv4.ip_forward"), "the root namespace is untouched");
        assertEquals(other, Sh.run("ip", "netns", "exec", hostName(), "cat", "/proc/sys/net/ipv4/ip_forward").ok().out().trim());
        try (Netlink inHost = Netlink.openIn(host)) {
            inHost.sysctl("net.ipv4.ip_forward", fresh); // a handle's sysctl goes to its own namespace
        }
        assertEquals(fresh, Sysctl.readIn(host, "net.ipv4.ip_forward"));
        assertEquals(rootBefore, Sysctl.read("net.ipv4.ip_forward"), "the root namespace is untouched");
    }

    @Test
    void namespaceRunNeverChangesTheCallersNamespace() throws Exception {
        String before = java.nio.file.Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
        String inside = NetNs.run(pod, () -> java.nio.file.Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString());
        assertNotEquals(before, inside);
        assertEquals(before, java.nio.file.Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString());
        assertTrue(Sh.run("ip", "netns", "list").ok().out().contains(podName()));
        RuntimeException boom = assertThrows(IllegalStateException.class, () -> NetNs.run(pod, () -> { throw new IllegalStateException("boom"); }));
        assertEquals("boom", boom.getMessage());
    }
}
