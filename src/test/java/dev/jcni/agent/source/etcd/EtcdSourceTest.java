package dev.jcni.agent.source.etcd;

import dev.jcni.agent.ClusterState;
import dev.jcni.agent.NodeInfo;
import dev.jcni.ipam.IpAddresses;
import dev.jcni.ipam.IpPrefix;

import io.etcd.jetcd.KeyValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static dev.jcni.agent.source.etcd.Snapshots.lacks;
import static dev.jcni.agent.source.etcd.Snapshots.shows;
import static dev.jcni.agent.source.etcd.TestCluster.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sources against a real etcd on loopback (no root needed); each test under its own key prefix. */
@ExtendWith(EtcdInstalled.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EtcdSourceTest {
    private static final Duration LONG_TTL = Duration.ofSeconds(30);
    private static final Duration SHORT_TTL = Duration.ofSeconds(2);

    @TempDir
    static Path etcdDir;
    private static EtcdServer etcd;

    @TempDir
    Path stateRoot;
    private TestCluster cluster;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdServer.start(etcdDir);
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @BeforeEach
    void cluster(TestInfo info) {
        cluster = new TestCluster(etcd.endpoint(), stateRoot, "/" + info.getTestMethod().orElseThrow().getName());
    }

    @AfterEach
    void closeCluster() {
        cluster.close();
    }

    @Test
    void twoNodesGetDistinctBlocksAndSeeEachOther() throws Exception {
        TestCluster.Node n1 = cluster.start("n1", "192.168.1.1", LONG_TTL);
        TestCluster.Node n2 = cluster.start("n2", "192.168.1.2", LONG_TTL);
        IpPrefix c1 = n1.awaitCidr();
        IpPrefix c2 = n2.awaitCidr();

        assertNotEquals(c1, c2);
        for (IpPrefix c : List.of(c1, c2)) {
            assertEquals(24, c.prefixLength(), c.toString());
            assertTrue(TestCluster.CLUSTER.contains(c.network()), c + " outside the cluster range");
        }
        for (TestCluster.Node n : List.of(n1, n2)) {
            ClusterState s = n.snapshots().await("both nodes", shows("n1", c1).and(shows("n2", c2)), WAIT);
            assertEquals(IpAddresses.parse("192.168.1.1"), s.node("n1").orElseThrow().ip());
            assertEquals(IpAddresses.parse("192.168.1.2"), s.node("n2").orElseThrow().ip());
            assertEquals(2, s.nodes().size(), s.toString());
            // Every snapshot includes the node itself: it is delivered only once the block is held.
            String self = n.config().nodeName();
            for (ClusterState each : n.snapshots().all()) {
                assertTrue(each.node(self).isPresent(), self + " missing from its own snapshot " + each);
            }
            assertTrue(n.source().status().connected(), n.source().status().toString());
        }

        // The layout the class comment documents.
        KeyValue k1 = cluster.get(cluster.keys().subnetKey(c1)).orElseThrow();
        assertEquals("{\"node\":\"n1\",\"ip\":\"192.168.1.1\"}", TestCluster.text(k1.getValue()));
        assertNotEquals(0, k1.getLease(), "subnet key without lease");
        KeyValue hint = cluster.get(cluster.keys().nodeKey("n1")).orElseThrow();
        assertEquals(c1.toString(), TestCluster.text(hint.getValue()));
        assertEquals(0, hint.getLease(), "the node hint must outlive the lease");
        assertEquals(c1 + "\n", Files.readString(stateRoot.resolve("n1").resolve(HintFile.NAME)));
        assertEquals("etcd:" + etcd.endpoint(), n1.source().describe());
    }

    @Test
    void concurrentStartsNeverCollide() throws Exception {
        int count = 6;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> starters = IntStream.range(0, count).mapToObj(i -> Thread.ofPlatform().start(() -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            cluster.start("c" + i, "192.168.2." + (i + 1), LONG_TTL);
        })).toList();
        go.countDown();
        for (Thread t : starters) {
            t.join();
        }
        List<TestCluster.Node> nodes = cluster.nodes();
        assertEquals(count, nodes.size());
        Set<IpPrefix> cidrs = new HashSet<>();
        for (TestCluster.Node n : nodes) {
            cidrs.add(n.awaitCidr());
        }
        assertEquals(count, cidrs.size(), "two nodes share a block: " + cidrs);

        List<KeyValue> keys = cluster.subnets();
        assertEquals(count, keys.size(), "one key per node");
        Set<String> owners = new HashSet<>();
        for (KeyValue k : keys) {
            owners.add(SubnetKeys.parseOwner(TestCluster.text(k.getValue())).node());
        }
        assertEquals(count, owners.size(), "each key a different node");
        for (TestCluster.Node n : nodes) {
            n.snapshots().await("all " + count + " nodes", s -> s.nodes().size() == count, WAIT);
        }
    }

    @Test
    void restartWithinTtlTakesOverTheSameBlockAndUpdatesTheAddress() throws Exception {
        TestCluster.Node n1 = cluster.start("n1", "192.168.1.1", LONG_TTL);
        n1.awaitCidr();
        TestCluster.Node n2 = cluster.start("n2", "192.168.1.2", LONG_TTL);
        IpPrefix c2 = n2.awaitCidr();
        long oldLease = cluster.get(cluster.keys().subnetKey(c2)).orElseThrow().getLease();
        n2.source().close();

        // Without either hint, the key still naming n2 is what brings the block back.
        cluster.delete(cluster.keys().nodeKey("n2"));
        Files.delete(stateRoot.resolve("n2").resolve(HintFile.NAME));
        TestCluster.Node again = cluster.start(n2.config().withNodeIp(IpAddresses.parse("192.168.1.22")));
        assertEquals(c2, again.awaitCidr());

        KeyValue k = cluster.get(cluster.keys().subnetKey(c2)).orElseThrow();
        assertNotEquals(oldLease, k.getLease(), "still on the old incarnation's lease");
        assertEquals("{\"node\":\"n2\",\"ip\":\"192.168.1.22\"}", TestCluster.text(k.getValue()));
        ClusterState s = n1.snapshots().await("n2 at its new address",
                st -> st.node("n2").map(NodeInfo::ip).equals(java.util.Optional.of(IpAddresses.parse("192.168.1.22"))),
                WAIT);
        assertEquals(List.of(c2), s.node("n2").orElseThrow().podCidrs());
        assertEquals(1, cluster.subnets().stream().filter(kv -> TestCluster.text(kv.getValue()).contains("\"n2\"")).count());
    }

    @Test
    void afterTheLeaseExpiresTheHintBringsTheSameBlockBack() {
        TestCluster.Node n1 = cluster.start("n1", "192.168.1.1", SHORT_TTL);
        IpPrefix c1 = n1.awaitCidr();
        TestCluster.Node n2 = cluster.start("n2", "192.168.1.2", SHORT_TTL);
        IpPrefix c2 = n2.awaitCidr();
        TestCluster.Node n3 = cluster.start("n3", "192.168.1.3", SHORT_TTL);
        IpPrefix c3 = n3.awaitCidr();
        assertEquals(List.of("10.244.0.0/24", "10.244.1.0/24", "10.244.2.0/24"),
                List.of(c1.toString(), c2.toString(), c3.toString()));

        // n2 and n3 stop and their leases run out; n1 goes for good, so the first free block is c1.
        n2.source().close();
        n3.source().close();
        n1.source().close();
        cluster.revokeLeaseOf(c1);
        cluster.awaitReleased(c2, Duration.ofSeconds(10));
        cluster.awaitReleased(c3, Duration.ofSeconds(10));

        // n2 comes back with the etcd hint, n3 with only the hint file on its node.
        cluster.delete(cluster.keys().nodeKey("n3"));
        TestCluster.Node n2b = cluster.start(n2.config());
        assertEquals(c2, n2b.awaitCidr());
        TestCluster.Node n3b = cluster.start(n3.config());
        assertEquals(c3, n3b.awaitCidr());
        // A newcomer gets the first free block.
        assertEquals(c1, cluster.start("n4", "192.168.1.4", SHORT_TTL).awaitCidr());
        n2b.snapshots().await("n2, n3, n4", shows("n2", c2).and(shows("n3", c3)).and(shows("n4", c1)).and(lacks("n1")), WAIT);
    }

    @Test
    void aRemovedNodeDisappearsFromTheOthersSnapshots() {
        TestCluster.Node n1 = cluster.start("n1", "192.168.1.1", LONG_TTL);
        TestCluster.Node n2 = cluster.start("n2", "192.168.1.2", LONG_TTL);
        IpPrefix c1 = n1.awaitCidr();
        IpPrefix c2 = n2.awaitCidr();
        n1.snapshots().await("n2", shows("n2", c2), WAIT);

        n2.source().close();
        cluster.revokeLeaseOf(c2);
        n1.snapshots().await("n2 gone", lacks("n2").and(shows("n1", c1)), WAIT);
        assertEquals(1, n1.snapshots().last().nodes().size());
    }

    @Test
    void aLostLeaseIsReplacedAndTheSameBlockClaimedAgain() {
        TestCluster.Node n1 = cluster.start("n1", "192.168.1.1", LONG_TTL);
        TestCluster.Node n2 = cluster.start("n2", "192.168.1.2", LONG_TTL);
        IpPrefix c1 = n1.awaitCidr();
        n2.awaitCidr();
        n2.snapshots().await("n1", shows("n1", c1), WAIT);

        long revoked = cluster.revokeLeaseOf(c1);
        Snapshots.Await.until("n1 to hold " + c1 + " on a new lease", () -> cluster.get(cluster.keys().subnetKey(c1))
                .filter(k -> k.getLease() != revoked && k.getLease() != 0).isPresent(), WAIT, () -> "status " + n1.source().status());
        assertEquals(c1, n1.source().ownCidr().orElseThrow());
        n2.snapshots().await("n1 back", shows("n1", c1), WAIT);
        Snapshots.Await.until("n1 connected", () -> n1.source().status().connected(), WAIT, () -> "" + n1.source().status());
    }
}
