package dev.jcni.agent.source.kube;

import dev.jcni.agent.NodeInfo;
import dev.jcni.agent.source.kube.NodeConverter.Conversion;
import dev.jcni.ipam.IpAddresses;
import dev.jcni.ipam.IpPrefix;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.jcni.agent.source.kube.Nodes.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeConverterTest {

    @Test
    void readsNameInternalIpAndDualStackCidrs() {
        Conversion c = NodeConverter.convert(node("n1", "192.168.1.10", "10.244.1.0/24", "fd00:10:244:1::/64"));
        assertEquals(List.of(), c.problems());
        assertEquals(new NodeInfo("n1", IpAddresses.parse("192.168.1.10"),
                List.of(IpPrefix.parse("10.244.1.0/24"), IpPrefix.parse("fd00:10:244:1::/64"))), c.node().orElseThrow());
    }

    @Test
    void prefersIpv4InternalIpAndIgnoresOtherAddressTypes() {
        Node n = new NodeBuilder(node("n1", "fd00::10", "10.244.1.0/24")).editStatus()
                .addNewAddress().withType("ExternalIP").withAddress("203.0.113.7").endAddress()
                .addNewAddress().withType("InternalIP").withAddress("192.168.1.10").endAddress()
                .endStatus().build();
        assertEquals(IpAddresses.parse("192.168.1.10"), NodeConverter.convert(n).node().orElseThrow().ip());
    }

    @Test
    void takesIpv6InternalIpWhenThereIsNoIpv4() {
        Conversion c = NodeConverter.convert(node("n1", "fd00::10", "fd00:10:244:1::/64"));
        assertEquals(IpAddresses.parse("fd00::10"), c.node().orElseThrow().ip());
    }

    @Test
    void skipsANodeWithoutInternalIp() {
        Node n = new NodeBuilder(node("n1", "192.168.1.10", "10.244.1.0/24")).editStatus()
                .withAddresses(List.of()).addNewAddress().withType("Hostname").withAddress("n1").endAddress()
                .endStatus().build();
        Conversion c = NodeConverter.convert(n);
        assertTrue(c.node().isEmpty());
        assertEquals(List.of("no usable InternalIP in status.addresses"), c.problems());
        assertEquals("skipped: no usable InternalIP in status.addresses", c.summary());
    }

    @Test
    void skipsAnUnparsableInternalIpButUsesTheNextOne() {
        Node n = new NodeBuilder(node("n1", "not-an-ip")).editStatus()
                .addNewAddress().withType("InternalIP").withAddress("192.168.1.10").endAddress().endStatus().build();
        Conversion c = NodeConverter.convert(n);
        assertEquals(IpAddresses.parse("192.168.1.10"), c.node().orElseThrow().ip());
        assertEquals(1, c.problems().size());
        assertTrue(c.problems().getFirst().contains("not-an-ip"), c.problems().toString());
    }

    @Test
    void nodeWithoutPodCidrHasAnEmptyList() {
        Conversion c = NodeConverter.convert(node("n1", "192.168.1.10"));
        assertEquals(List.of(), c.node().orElseThrow().podCidrs());
        assertEquals(List.of(), c.problems());
    }

    @Test
    void fallsBackToTheSinglePodCidrField() {
        Node n = new NodeBuilder(node("n1", "192.168.1.10")).editSpec().withPodCIDR("10.244.7.0/24").endSpec().build();
        assertEquals(List.of(IpPrefix.parse("10.244.7.0/24")), NodeConverter.convert(n).node().orElseThrow().podCidrs());
    }

    @Test
    void podCidrsListWinsOverTheSingleField() {
        Node n = new NodeBuilder(node("n1", "192.168.1.10", "10.244.1.0/24")).editSpec().withPodCIDR("10.244.9.0/24").endSpec().build();
        assertEquals(List.of(IpPrefix.parse("10.244.1.0/24")), NodeConverter.convert(n).node().orElseThrow().podCidrs());
    }

    @Test
    void dropsMalformedCidrsAndKeepsTheRest() {
        Conversion c = NodeConverter.convert(node("n1", "192.168.1.10", "10.244.300.0/24", "fd00:10:244:1::/64", "garbage"));
        assertEquals(List.of(IpPrefix.parse("fd00:10:244:1::/64")), c.node().orElseThrow().podCidrs());
        assertEquals(2, c.problems().size(), c.problems().toString());
        assertTrue(c.problems().get(0).startsWith("ignored pod CIDR \"10.244.300.0/24\""), c.problems().toString());
        assertTrue(c.problems().get(1).startsWith("ignored pod CIDR \"garbage\""), c.problems().toString());
    }

    @Test
    void keepsOneRangePerFamily() {
        Conversion c = NodeConverter.convert(node("n1", "192.168.1.10", "10.244.1.0/24", "10.245.1.0/24"));
        assertEquals(List.of(IpPrefix.parse("10.244.1.0/24")), c.node().orElseThrow().podCidrs());
        assertEquals(List.of("ignored pod CIDR \"10.245.1.0/24\": a second IPv4 range"), c.problems());
    }

    @Test
    void clearsHostBitsAndSaysSo() {
        Conversion c = NodeConverter.convert(node("n1", "192.168.1.10", "10.244.1.7/24"));
        assertEquals(List.of(IpPrefix.parse("10.244.1.0/24")), c.node().orElseThrow().podCidrs());
        assertEquals(List.of("pod CIDR \"10.244.1.7/24\" has host bits set, using 10.244.1.0/24"), c.problems());
    }

    @Test
    void survivesAnEmptyNode() {
        Node n = new NodeBuilder().withNewMetadata().withName("bare").endMetadata().build();
        Conversion c = NodeConverter.convert(n);
        assertTrue(c.node().isEmpty());
        assertEquals("bare", c.name());
    }
}
