package dev.jcni.agent.source.kube;

import dev.jcni.agent.AgentLog;
import dev.jcni.agent.ClusterState;
import dev.jcni.agent.NodeInfo;
import dev.jcni.ipam.IpAddresses;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotDeliveryTest {
    private static final AgentLog LOG = new AgentLog("test");

    private static ClusterState state(int nodes) {
        List<NodeInfo> list = new java.util.ArrayList<>();
        for (int i = 1; i <= nodes; i++) list.add(new NodeInfo("n" + i, IpAddresses.parse("192.168.1." + i), List.of()));
        return ClusterState.of(list);
    }

    private static ClusterState next(BlockingQueue<ClusterState> q) throws InterruptedException {
        ClusterState s = q.poll(10, TimeUnit.SECONDS);
        assertNotNull(s, "no snapshot within 10 s");
        return s;
    }

    @Test
    void deliversInOrderAndSkipsRepeats() throws Exception {
        BlockingQueue<ClusterState> got = new LinkedBlockingQueue<>();
        try (SnapshotDelivery d = new SnapshotDelivery("t-order", got::add, LOG)) {
            d.offer(state(1));
            assertEquals(state(1), next(got));
            d.offer(state(1)); // a repeat: dropped
            d.offer(state(2));
            assertEquals(state(2), next(got));
            d.offer(state(2));
            d.offer(state(3));
            assertEquals(state(3), next(got));
        }
    }

    @Test
    void keepsOnlyTheNewestWhileTheListenerIsBusy() throws Exception {
        BlockingQueue<ClusterState> got = new LinkedBlockingQueue<>();
        CountDownLatch inListener = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (SnapshotDelivery d = new SnapshotDelivery("t-coalesce", s -> {
            got.add(s);
            inListener.countDown();
            try { release.await(); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
        }, LOG)) {
            d.offer(state(1));
            assertTrue(inListener.await(10, TimeUnit.SECONDS));
            d.offer(state(2));
            d.offer(state(3));
            d.offer(state(4));
            release.countDown();
            assertEquals(state(1), next(got));
            assertEquals(state(4), next(got));
            d.offer(state(5));
            assertEquals(state(5), next(got), "nothing between 4 and 5: 2 and 3 were superseded");
        }
    }

    @Test
    void aFailingListenerDoesNotStopDelivery() throws Exception {
        BlockingQueue<ClusterState> got = new LinkedBlockingQueue<>();
        CountDownLatch failed = new CountDownLatch(1);
        AtomicBoolean failOnce = new AtomicBoolean(true);
        try (SnapshotDelivery d = new SnapshotDelivery("t-fail", s -> {
            if (failOnce.getAndSet(false)) {
                failed.countDown();
                throw new IllegalStateException("boom");
            }
            got.add(s);
        }, LOG)) {
            d.offer(state(1));
            assertTrue(failed.await(10, TimeUnit.SECONDS));
            d.offer(state(1)); // the failed one was not delivered, so this is no repeat
            assertEquals(state(1), next(got));
            d.offer(state(2));
            assertEquals(state(2), next(got));
        }
    }

    @Test
    void closeFromTheListenerReturns() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        SnapshotDelivery[] holder = new SnapshotDelivery[1];
        holder[0] = new SnapshotDelivery("t-self-close", s -> {
            holder[0].close();
            closed.countDown();
        }, LOG);
        holder[0].offer(state(1));
        assertTrue(closed.await(10, TimeUnit.SECONDS));
    }
}
