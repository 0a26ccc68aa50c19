package dev.jcni.agent.source.kube;

import dev.jcni.agent.ClusterState;
import dev.jcni.agent.NodeInfo;
import dev.jcni.agent.source.SourceStatus;
import dev.jcni.ipam.IpAddresses;
import dev.jcni.ipam.IpPrefix;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static dev.jcni.agent.source.kube.Nodes.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Against fabric8's mock API server in CRUD mode: real list and watch requests, no cluster, no root. */
class KubernetesSourceTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private KubernetesMockServer server;
    private KubernetesClient client;
    private KubernetesSource source;
    private boolean serverDown;
    private final BlockingQueue<ClusterState> snapshots = new LinkedBlockingQueue<>();

    @BeforeEach
    void startServer() {
        // CRUD mode: the mock keeps the objects it is sent and streams watch events for them.
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        client = server.createClient();
    }

    @AfterEach
    void stopAll() {
        stopServer();
        if (source != null) source.close();
        client.close();
    }

    /**
     * Stops the mock before the client closes its watch. The other order races in the 8.0.0 mock: its
     * WatchEventsListener queues the close of a client-closed watch on its send thread and then blocks the
     * event loop waiting for that thread, which needs the event loop, so destroy() times out after 10 s.
     */
    private void stopServer() {
        if (!serverDown) server.destroy();
        serverDown = true;
    }

    private void create(Node node) {
        client.nodes().resource(node).create();
    }

    private void startSource() {
        source = new KubernetesSource(client);
        source.start(snapshots::add);
    }

    /** The next snapshot, whatever it holds. */
    private ClusterState nextSnapshot() throws InterruptedException {
        ClusterState s = snapshots.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(s, "no snapshot within " + DEADLINE.toSeconds() + " s; status " + source.status());
        return s;
    }

    /** Skips snapshots until one satisfies {@code condition}; fails after the deadline. */
    private ClusterState awaitSnapshot(String what, Predicate<ClusterState> condition) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        ClusterState last = null;
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) fail("no snapshot where " + what + " within " + DEADLINE.toSeconds() + " s; last " + last);
            ClusterState s = snapshots.poll(left, TimeUnit.NANOSECONDS);
            if (s == null) continue;
            last = s;
            if (condition.test(s)) return s;
        }
    }

    private SourceStatus awaitStatus(String what, Predicate<SourceStatus> condition) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        SourceStatus s = source.status();
        while (!condition.test(s)) {
            if (System.nanoTime() > end) fail("status never " + what + " within " + DEADLINE.toSeconds() + " s; last " + s);
            Thread.sleep(20);
            s = source.status();
        }
        return s;
    }

    private static NodeInfo info(String name, String ip, String... cidrs) {
        return new NodeInfo(name, IpAddresses.parse(ip), List.of(cidrs).stream().map(IpPrefix::parse).toList());
    }

    @Test
    void firstSnapshotHasEveryNode() throws Exception {
        create(node("n1", "192.168.1.1", "10.244.1.0/24"));
        create(node("n2", "192.168.1.2", "10.244.2.0/24"));
        create(node("n3", "192.168.1.3", "10.244.3.0/24", "fd00:10:244:3::/64"));
        startSource();

        ClusterState first = nextSnapshot();
        assertEquals(ClusterState.of(List.of(
                info("n1", "192.168.1.1", "10.244.1.0/24"),
                info("n2", "192.168.1.2", "10.244.2.0/24"),
                info("n3", "192.168.1.3", "10.244.3.0/24", "fd00:10:244:3::/64"))), first);
        awaitStatus("connected", SourceStatus::connected);
    }

    @Test
    void anEmptyClusterStillGivesAFirstSnapshot() throws Exception {
        startSource();
        assertEquals(ClusterState.EMPTY, nextSnapshot());
    }

    @Test
    void followsAddsEditsAndDeletes() throws Exception {
        create(node("n1", "192.168.1.1", "10.244.1.0/24"));
        create(node("n2", "192.168.1.2", "10.244.2.0/24"));
        startSource();
        assertEquals(Set.of("n1", "n2"), nextSnapshot().nodes().keySet());

        create(node("n4", "192.168.1.4", "10.244.4.0/24"));
        ClusterState added = awaitSnapshot("n4 is present", s -> s.nodes().containsKey("n4"));
        assertEquals(info("n4", "192.168.1.4", "10.244.4.0/24"), added.node("n4").orElseThrow());
        assertEquals(Set.of("n1", "n2", "n4"), added.nodes().keySet());

        client.nodes().withName("n1").edit(n -> new NodeBuilder(n).editSpec()
                .withPodCIDR("10.244.11.0/24").withPodCIDRs("10.244.11.0/24", "fd00:10:244:11::/64").endSpec().build());
        ClusterState edited = awaitSnapshot("n1 has its new range",
                s -> s.node("n1").map(n -> n.podCidrs().contains(IpPrefix.parse("10.244.11.0/24"))).orElse(false));
        assertEquals(info("n1", "192.168.1.1", "10.244.11.0/24", "fd00:10:244:11::/64"), edited.node("n1").orElseThrow());

        client.nodes().withName("n2").delete();
        ClusterState deleted = awaitSnapshot("n2 is gone", s -> !s.nodes().containsKey("n2"));
        assertEquals(Set.of("n1", "n4"), deleted.nodes().keySet());
    }

    @Test
    void aNodeWithoutPodCidrIsIncludedAndPickedUpWhenItGetsOne() throws Exception {
        create(node("self", "192.168.1.9"));
        startSource();
        assertEquals(info("self", "192.168.1.9"), nextSnapshot().node("self").orElseThrow());

        client.nodes().withName("self").edit(n -> new NodeBuilder(n).editSpec()
                .withPodCIDR("10.244.9.0/24").withPodCIDRs("10.244.9.0/24").endSpec().build());
        ClusterState assigned = awaitSnapshot("self has a range",
                s -> s.node("self").map(n -> !n.podCidrs().isEmpty()).orElse(false));
        assertEquals(info("self", "192.168.1.9", "10.244.9.0/24"), assigned.node("self").orElseThrow());
    }

    @Test
    void aMalformedCidrIsIgnoredAndTheSourceCarriesOn() throws Exception {
        create(node("bad", "192.168.1.5", "10.244.5.0/33", "fd00:10:244:5::/64"));
        create(node("n1", "192.168.1.1", "10.244.1.0/24"));
        startSource();
        ClusterState first = nextSnapshot();
        assertEquals(info("bad", "192.168.1.5", "fd00:10:244:5::/64"), first.node("bad").orElseThrow());
        assertEquals(info("n1", "192.168.1.1", "10.244.1.0/24"), first.node("n1").orElseThrow());

        create(node("n2", "192.168.1.2", "not-a-cidr"));
        ClusterState later = awaitSnapshot("n2 is present", s -> s.nodes().containsKey("n2"));
        assertEquals(info("n2", "192.168.1.2"), later.node("n2").orElseThrow());
        awaitStatus("connected", SourceStatus::connected);
    }

    @Test
    void aNodeWithoutInternalIpIsLeftOutUntilItHasOne() throws Exception {
        create(new NodeBuilder(node("noip", "192.168.1.6", "10.244.6.0/24")).editStatus()
                .withAddresses(List.of()).endStatus().build());
        create(node("n1", "192.168.1.1", "10.244.1.0/24"));
        startSource();
        assertEquals(Set.of("n1"), nextSnapshot().nodes().keySet());

        client.nodes().withName("noip").edit(n -> new NodeBuilder(n).editStatus()
                .addNewAddress().withType("InternalIP").withAddress("192.168.1.6").endAddress().endStatus().build());
        ClusterState s = awaitSnapshot("noip is present", st -> st.nodes().containsKey("noip"));
        assertEquals(info("noip", "192.168.1.6", "10.244.6.0/24"), s.node("noip").orElseThrow());
    }

    @Test
    void changesTheAgentDoesNotUseProduceNoSnapshot() throws Exception {
        create(node("n1", "192.168.1.1", "10.244.1.0/24"));
        startSource();
        ClusterState first = nextSnapshot();

        client.nodes().withName("n1").edit(n -> new NodeBuilder(n).editMetadata().addToLabels("role", "edge").endMetadata()
                .editStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build());
        create(node("n2", "192.168.1.2", "10.244.2.0/24"));
        // Snapshots arrive in order, so had the label edit produced one, it would come before this.
        ClusterState second = nextSnapshot();
        assertEquals(Set.of("n1", "n2"), second.nodes().keySet());
        assertEquals(first.node("n1"), second.node("n1"));
    }

    @Test
    void describesItselfByTheApiServerUrl() {
        source = new KubernetesSource(client);
        assertEquals("kubernetes:" + client.getMasterUrl(), source.describe());
        assertEquals(SourceStatus.down("not started"), source.status());
    }

    @Test
    void statusSaysWhyWhenTheApiServerCannotBeReached() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (KubernetesClient unreachable = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:" + port).withRequestRetryBackoffLimit(0).build()).build();
             KubernetesSource dead = new KubernetesSource(unreachable)) {
            source = dead;
            dead.start(snapshots::add);
            SourceStatus s = awaitStatus("a list failure", st -> st.detail().startsWith("listing nodes failed, retrying"));
            assertFalse(s.connected());
            assertTrue(snapshots.isEmpty(), "no snapshot without a complete list");
        } finally {
            source = null;
        }
    }

    @Test
    void losingTheApiServerAfterSyncMakesStatusDown() throws Exception {
        create(node("n1", "192.168.1.1", "10.244.1.0/24"));
        startSource();
        nextSnapshot();
        awaitStatus("connected", SourceStatus::connected);
        stopServer();
        SourceStatus s = awaitStatus("disconnected", st -> !st.connected());
        assertTrue(s.detail().startsWith("watch"), s.detail());
    }

    @Test
    void closeStopsAndCannotRestart() throws Exception {
        startSource();
        nextSnapshot();
        stopServer(); // see stopServer()
        source.close();
        assertEquals(SourceStatus.down("closed"), source.status());
        assertThrows(IllegalStateException.class, () -> source.start(snapshots::add));
        source.close(); // twice is fine
    }

    @Test
    void startTwiceIsRefused() {
        startSource();
        assertThrows(IllegalStateException.class, () -> source.start(snapshots::add));
    }
}
