package dev.jcni.agent.source.kube;

import dev.jcni.agent.AgentLog;
import dev.jcni.agent.ClusterState;
import dev.jcni.agent.source.ClusterStateSource;
import dev.jcni.agent.source.SourceStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * {@code kubernetes:URL}: the cluster's Node objects, read through a fabric8 informer (one list, then a
 * watch that fabric8 resumes, or relists after "410 Gone" and other errors, with backoff). A snapshot
 * goes to the listener once the first list is complete, and again whenever a node's name, InternalIP or
 * pod CIDRs change; status-only updates (kubelet heartbeats) produce none. Nodes without a usable
 * InternalIP are left out; pod CIDRs that do not parse are dropped from their node. Either is logged once,
 * when it first appears.
 *
 * <p>Unlike fabric8's default, a failing first list is retried too: an agent that starts before the API
 * server is reachable keeps trying, and {@link #status()} says why it is not connected yet.
 * The service account needs {@code list} and {@code watch} on {@code nodes}.
 */
public final class KubernetesSource implements ClusterStateSource {
    private final KubernetesClient client;
    private final boolean ownsClient;
    private final AgentLog log = new AgentLog("source/kube");
    private final NodeTable table = new NodeTable(); // the informer's handler only
    private final Object lock = new Object();
    private SharedIndexInformer<Node> informer;      // guarded by lock
    private SnapshotDelivery delivery;               // guarded by lock
    private boolean closed;                          // guarded by lock
    private volatile boolean synced;
    private volatile String lastError;

    /** Watches through {@code client}, which stays open on {@link #close()}: the caller owns it. */
    public KubernetesSource(KubernetesClient client) {
        this(client, false);
    }

    private KubernetesSource(KubernetesClient client, boolean ownsClient) {
        this.client = Objects.requireNonNull(client, "client");
        this.ownsClient = ownsClient;
    }

    /**
     * A client from fabric8's usual configuration: the pod's service account when running in a cluster,
     * otherwise {@code KUBECONFIG} or {@code ~/.kube/config}. {@link #close()} closes it.
     */
    public static KubernetesSource fromEnvironment() {
        return new KubernetesSource(new KubernetesClientBuilder().build(), true);
    }

    @Override
    public void start(Consumer<ClusterState> listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (lock) { // start() does not block, and holding the lock keeps close() from slipping in
            if (closed) throw new IllegalStateException("closed: " + describe());
            if (informer != null) throw new IllegalStateException("already started: " + describe());
            delivery = new SnapshotDelivery("kube-source", listener, log);
            // No resync: it would only replay the cache, and snapshots are complete anyway.
            informer = client.nodes().runnableInformer(0);
            informer.exceptionHandler(this::onError);
            informer.addEventHandler(new Handler());
            informer.stopped().whenComplete((ignored, failure) -> {
                if (!isClosed()) log.warn("node informer stopped" + (failure == null ? "" : ": " + message(failure))
                        + "; no further updates");
            });
            log.info("listing and watching nodes at " + client.getMasterUrl());
            informer.start();
        }
    }

    @Override
    public SourceStatus status() {
        SharedIndexInformer<Node> inf;
        synchronized (lock) {
            if (closed) return SourceStatus.down("closed");
            inf = informer;
        }
        if (inf == null) return SourceStatus.down("not started");
        CompletableFuture<Void> stopped = inf.stopped().toCompletableFuture();
        if (stopped.isDone()) {
            return SourceStatus.down("informer stopped" + (stopped.isCompletedExceptionally() ? ": " + failureOf(stopped) : ""));
        }
        String error = lastError;
        if (!synced) {
            return SourceStatus.down(error == null ? "listing nodes" : "listing nodes failed, retrying: " + error);
        }
        if (inf.isWatching()) return SourceStatus.up();
        return SourceStatus.down(error == null ? "watch reconnecting" : "watch failed, retrying: " + error);
    }

    @Override
    public String describe() {
        return "kubernetes:" + client.getMasterUrl();
    }

    /** Stops the informer and the delivery thread, then closes the client if {@link #fromEnvironment()} made it. */
    @Override
    public void close() {
        SharedIndexInformer<Node> inf;
        SnapshotDelivery d;
        synchronized (lock) {
            if (closed) return;
            closed = true;
            inf = informer;
            d = delivery;
        }
        if (inf != null) inf.close();
        if (d != null) d.close();
        if (ownsClient) client.close();
        if (inf != null) log.info("stopped watching nodes at " + client.getMasterUrl());
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /** fabric8 asks after each failed list or watch whether to try again (with backoff). */
    private boolean onError(boolean startedBefore, Throwable failure) {
        // A response that does not decode will not decode next time either.
        boolean retry = !ExceptionHandler.isDeserializationException(failure);
        lastError = message(failure);
        if (!isClosed()) {
            log.warn((synced ? "node watch failed: " : "listing nodes failed: ") + lastError
                    + (retry ? "; retrying" : "; giving up"));
        }
        return retry;
    }

    private void offerSnapshot() {
        SnapshotDelivery d;
        synchronized (lock) {
            d = delivery;
        }
        d.offer(table.snapshot());
    }

    /** fabric8 calls these one at a time, in order (a serial executor per handler). */
    private final class Handler implements ResourceEventHandler<Node> {
        @Override
        public void onAdd(Node node) {
            apply(table.put(node));
        }

        @Override
        public void onUpdate(Node before, Node after) {
            apply(table.put(after));
        }

        @Override
        public void onDelete(Node node, boolean finalStateUnknown) {
            apply(table.remove(node.getMetadata().getName()));
        }

        /** After every complete list: the first one, and each relist after a failed watch. */
        @Override
        public void onList(String resourceVersion, boolean empty) {
            boolean first = !synced;
            synced = true;
            lastError = null;
            long skipped = table.skipped();
            log.info((first ? "synced " : "relisted ") + table.size() + " nodes"
                    + (skipped > 0 ? " (" + skipped + " skipped)" : "") + " at resourceVersion " + resourceVersion);
            offerSnapshot();
        }

        private void apply(NodeTable.Change change) {
            if (!change.changed()) return;
            if (change.hasProblems()) {
                log.warn(change.logLine());
            } else if (synced) {
                // The first list is summed up in one line instead of one per node.
                log.info(change.logLine());
            }
            if (synced) offerSnapshot();
        }
    }

    private static String failureOf(CompletableFuture<?> failed) {
        try {
            failed.join();
            return "no failure";
        } catch (RuntimeException e) { // CompletionException or CancellationException
            return message(e);
        }
    }

    /** The failure's message, and its root cause's when that adds something ("Connection refused"). */
    static String message(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String text = describeOne(t);
        return root == t ? text : text + " (" + describeOne(root) + ")";
    }

    private static String describeOne(Throwable t) {
        return t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
    }
}
