package dev.jcni.agent.source.kube;

import dev.jcni.agent.AgentLog;
import dev.jcni.agent.ClusterState;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Hands snapshots to the listener from one platform thread, in the order they were offered. When the
 * listener is slower than the events, only the newest pending snapshot is kept (each is complete, so
 * nothing is lost), and a snapshot equal to the last one delivered is not delivered again. The thread is
 * never interrupted: the listener may be in the middle of netlink I/O, which an interrupt would break.
 */
final class SnapshotDelivery implements AutoCloseable {
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final Consumer<ClusterState> listener;
    private final AgentLog log;
    private final Thread thread;
    private ClusterState pending; // guarded by this
    private boolean closed;       // guarded by this
    private ClusterState delivered; // delivery thread only

    SnapshotDelivery(String threadName, Consumer<ClusterState> listener, AgentLog log) {
        this.listener = listener;
        this.log = log;
        this.thread = Thread.ofPlatform().daemon().name(threadName).unstarted(this::run);
        thread.start();
    }

    /** Queues {@code state}, replacing any snapshot not yet delivered. */
    synchronized void offer(ClusterState state) {
        if (closed) return;
        pending = state;
        notifyAll();
    }

    private void run() {
        while (true) {
            ClusterState next;
            synchronized (this) {
                while (pending == null && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) return;
                next = pending;
                pending = null;
            }
            if (next.equals(delivered)) continue;
            try {
                listener.accept(next);
                delivered = next;
            } catch (RuntimeException e) {
                // Not remembered as delivered, so the same state is offered again after the next event.
                log.warn("the listener failed on a snapshot of " + next.nodes().size() + " nodes: " + e);
            }
        }
    }

    /** Stops after the snapshot being delivered, if any; waits a few seconds for it unless called from the listener. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            pending = null;
            notifyAll();
        }
        if (Thread.currentThread() == thread) return;
        try {
            if (!thread.join(CLOSE_WAIT)) {
                log.warn("the listener is still busy after " + CLOSE_WAIT.toSeconds() + " s; leaving thread " + thread.getName());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
