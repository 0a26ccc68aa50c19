package dev.jcni.agent.source.etcd;

import dev.jcni.agent.ClusterState;
import dev.jcni.agent.source.SourceStatus;
import dev.jcni.ipam.IpPrefix;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.jcni.agent.source.etcd.Snapshots.shows;
import static dev.jcni.agent.source.etcd.TestCluster.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

/** etcd crashes (SIGKILL) and comes back on the same port and data: sources ride it out. */
@ExtendWith(EtcdInstalled.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EtcdOutageTest {
    private static final Duration TTL = Duration.ofSeconds(10);

    @TempDir
    Path etcdDir;
    @TempDir
    Path stateRoot;

    @Test
    void sourcesReportTheOutageKeepTheirStateAndRecover() {
        try (EtcdServer etcd = EtcdServer.start(etcdDir);
             TestCluster cluster = new TestCluster(etcd.endpoint(), stateRoot, "/outage")) {
            TestCluster.Node n1 = cluster.start("n1", "192.168.1.1", TTL);
            TestCluster.Node n2 = cluster.start("n2", "192.168.1.2", TTL);
            IpPrefix c1 = n1.awaitCidr();
            IpPrefix c2 = n2.awaitCidr();
            ClusterState before = n1.snapshots().await("both", shows("n1", c1).and(shows("n2", c2)), WAIT);
            Snapshots.Await.until("n1 connected", () -> n1.source().status().connected(), WAIT, () -> "");

            etcd.kill();
            Snapshots.Await.until("n1 to report the outage", () -> !n1.source().status().connected(), WAIT,
                    () -> "" + n1.source().status());
            int delivered = n1.snapshots().count();
            EtcdServer.sleep(1500);
            SourceStatus down = n1.source().status();
            assertFalse(down.connected());
            assertFalse(down.detail().isBlank(), "a down status says why");
            assertEquals(delivered, n1.snapshots().count(), "snapshots delivered during the outage");
            assertSame(before, n1.snapshots().last(), "the last state is kept");
            assertEquals(c1, n1.source().ownCidr().orElseThrow());

            etcd.restart();
            for (TestCluster.Node n : new TestCluster.Node[] {n1, n2}) {
                Snapshots.Await.until(n.config().nodeName() + " to reconnect", () -> n.source().status().connected(),
                        Duration.ofSeconds(30), () -> "" + n.source().status());
            }
            assertEquals(c1, n1.source().ownCidr().orElseThrow());
            assertEquals(c2, n2.source().ownCidr().orElseThrow());
            // Keepalive works again: the keys are there, on the same leases they were on.
            assertEquals(2, cluster.subnets().size());

            // Snapshots resume: a newcomer shows up at both.
            IpPrefix c3 = cluster.start("n3", "192.168.1.3", TTL).awaitCidr();
            n1.snapshots().await("n3 after the outage", shows("n3", c3).and(shows("n2", c2)), WAIT);
            n2.snapshots().await("n3 after the outage", shows("n3", c3).and(shows("n1", c1)), WAIT);
        }
    }
}
