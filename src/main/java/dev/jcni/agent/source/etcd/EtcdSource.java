package dev.jcni.agent.source.etcd;

import dev.jcni.agent.AgentLog;
import dev.jcni.agent.ClusterState;
import dev.jcni.agent.NodeInfo;
import dev.jcni.agent.source.ClusterStateSource;
import dev.jcni.agent.source.SourceStatus;
import dev.jcni.ipam.IpAddresses;
import dev.jcni.ipam.IpPrefix;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.support.CloseableClient;
import io.etcd.jetcd.watch.WatchEvent;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static dev.jcni.agent.source.etcd.SubnetClaimer.bytes;
import static dev.jcni.agent.source.etcd.SubnetClaimer.text;

/**
 * Cluster state from etcd, the way flannel's etcd subnet manager does it: every agent claims a
 * block of the cluster range for its pods and watches everyone else's.
 *
 * <h2>Key layout</h2>
 * Under a prefix, {@value EtcdConfig#DEFAULT_KEY_PREFIX} by default:
 * <pre>
 *   /jcni/subnets/10.244.1.0-24  {"node":"n1","ip":"192.168.1.11"}
 *   /jcni/nodes/n1               10.244.1.0/24
 * </pre>
 * A {@code subnets/} key is a block (its CIDR with '/' written '-'); its value names the holder and
 * its underlay address, and it is attached to the holder's lease (TTL {@link EtcdConfig#leaseTtl}),
 * which the agent keeps alive. When an agent stops for longer than the TTL, etcd deletes the key
 * and the block is free again. A {@code nodes/} key has no lease: it remembers a node's last block so
 * that a restarted agent asks for the same one first. {@code <stateDir>/etcd-subnet} holds the same
 * hint on the node, in case etcd lost it. Blocks are IPv4 only.
 *
 * <h2>Getting a block</h2>
 * Each time the source (re)connects it makes sure it holds a lease and a block, in this order:
 * <ol>
 *   <li>a {@code subnets/} key already naming this node (an earlier run whose lease still runs) is
 *       taken over: re-put on the current lease with the current address, in a transaction that
 *       compares its mod revision;</li>
 *   <li>otherwise the hinted block, if it is free, by a create-if-absent transaction
 *       ({@code version == 0});</li>
 *   <li>otherwise the first free block of the cluster range in address order, each by a
 *       create-if-absent transaction, moving on to the next block when another agent wins.</li>
 * </ol>
 * Since every write is guarded by a compare, two agents never hold the same block (as long as node
 * names are unique and all agents use the same block size; a block overlapping a held one of another
 * size is skipped when seen, but not guarded against a concurrent writer).
 *
 * <h2>Watching</h2>
 * After listing {@code subnets/} at revision R it watches the prefix from R+1, keeps a map, and after
 * each change hands the listener a complete {@link ClusterState}, this node included (from the moment
 * it holds a block). Identical snapshots are not repeated.
 *
 * <h2>Outages</h2>
 * A failed watch or keepalive (etcd down, compaction, lease lost) ends the session: {@link #status()}
 * goes down with the reason, the listener hears nothing, and the source retries with backoff
 * (0.5 s up to 5 s). On success it checks the lease (granting a new one if it expired meanwhile),
 * claims its block again (normally the same one), lists afresh and watches again.
 *
 * <h2>Threads</h2>
 * One daemon platform thread per source runs everything and calls the listener; jetcd's callbacks
 * only queue signals for it. {@link #close()} stops it, closes the client, and leaves the block key
 * to its lease.
 */
public final class EtcdSource implements ClusterStateSource {

    /** How long one etcd call may take before the session counts as broken. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration MIN_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final EtcdConfig config;
    private final SubnetKeys keys;
    private final AgentLog log;

    private final Object lifecycle = new Object();
    private Client client;   // guarded by lifecycle
    private Thread thread;   // guarded by lifecycle
    private volatile boolean closed;
    private volatile SourceStatus status = SourceStatus.down("not started");
    private volatile IpPrefix ownCidr;

    // Touched by the source's thread only.
    private long leaseId;
    private final SubnetTable table = new SubnetTable();
    private ClusterState delivered;
    private String downReason;

    public EtcdSource(EtcdConfig config) {
        this.config = config;
        this.keys = new SubnetKeys(config.keyPrefix());
        this.log = new AgentLog("etcd[" + config.nodeName() + "]");
    }

    public EtcdSource(List<URI> endpoints, String nodeName, InetAddress nodeIp, IpPrefix clusterCidr,
                      int nodeCidrSize, Path stateDir, Duration leaseTtl) {
        this(new EtcdConfig(endpoints, nodeName, nodeIp, clusterCidr, nodeCidrSize, stateDir, leaseTtl));
    }

    @Override
    public void start(Consumer<ClusterState> listener) {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException(describe() + " is closed");
            }
            if (thread != null) {
                throw new IllegalStateException(describe() + " is already started");
            }
            client = Client.builder()
                    .endpoints(config.endpoints())
                    .waitForReady(false) // fail fast during an outage instead of queueing writes
                    .connectTimeout(CALL_TIMEOUT)
                    .build();
            status = SourceStatus.down("connecting");
            Client c = client;
            thread = Thread.ofPlatform().daemon().name("jcni-etcd-" + config.nodeName())
                    .start(() -> run(c, listener));
        }
    }

    @Override
    public SourceStatus status() {
        return status;
    }

    @Override
    public String describe() {
        return "etcd:" + config.endpoints().stream().map(URI::toString).collect(Collectors.joining(","));
    }

    /** This node's block, once claimed; it stays set through outages. */
    public Optional<IpPrefix> ownCidr() {
        return Optional.ofNullable(ownCidr);
    }

    @Override
    public void close() {
        Thread t;
        Client c;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            t = thread;
            c = client;
        }
        if (t != null) {
            t.interrupt();
            try {
                if (!t.join(CALL_TIMEOUT.plusSeconds(1))) {
                    log.warn("thread " + t.getName() + " did not stop in time; closing the client under it");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (c != null) {
            c.close();
        }
        status = SourceStatus.down("closed");
        log.info("closed; " + ownCidr().map(b -> b + " stays held until its lease expires").orElse("held no block"));
    }

    // ---- the source's thread ----

    private void run(Client c, Consumer<ClusterState> listener) {
        log.info("starting: " + describe() + ", node " + config.nodeName() + " ("
                + IpAddresses.format(config.nodeIp()) + "), /" + config.nodeCidrSize() + " blocks of "
                + config.clusterCidr() + ", lease TTL " + config.leaseTtl().toSeconds() + "s, keys under "
                + config.keyPrefix() + "/");
        Duration backoff = MIN_BACKOFF;
        while (!closed) {
            String why;
            try (Session s = new Session(c, listener)) {
                why = s.run();
                if (s.wasUp) {
                    backoff = MIN_BACKOFF;
                }
            } catch (InterruptedException e) {
                break;
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                why = reason(e);
            }
            if (closed) {
                break;
            }
            markDown(why);
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                break;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private void markDown(String why) {
        status = SourceStatus.down(why);
        if (!why.equals(downReason)) {
            log.warn("disconnected from " + describe() + ": " + why + "; keeping the last state and retrying");
            downReason = why;
        }
    }

    private void markUp() {
        status = SourceStatus.up();
        log.info((downReason == null ? "connected" : "reconnected") + ": holding " + ownCidr
                + " on lease " + Long.toHexString(leaseId) + ", " + table.entries().size() + " blocks held in all");
        downReason = null;
    }

    /** What jetcd and the watch tell the session, queued for the source's thread. */
    private sealed interface Signal {
    }

    private record Events(List<WatchEvent> events) implements Signal {
    }

    private record Trouble(String why) implements Signal {
    }

    /** One connected stretch: lease, block, list, watch, until something breaks. */
    private final class Session implements AutoCloseable {
        private final Client client;
        private final Consumer<ClusterState> listener;
        private final SubnetClaimer claimer;
        private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
        private CloseableClient keepAlive;
        private Watch.Watcher watcher;
        boolean wasUp;

        Session(Client client, Consumer<ClusterState> listener) {
            this.client = client;
            this.listener = listener;
            this.claimer = new SubnetClaimer(client.getKVClient(), config, keys, CALL_TIMEOUT, log);
        }

        /** Returns why the session ended. */
        String run() throws ExecutionException, TimeoutException, InterruptedException {
            ensureLease();
            keepAlive = client.getLeaseClient().keepAlive(leaseId, new KeepAliveObserver(signals));
            noteClaim(claimer.acquire(leaseId));

            long revision = relist();
            String own = keys.subnetKey(ownCidr);
            if (table.get(ownCidr).filter(e -> e.ownedBy(config.nodeName()) && e.lease() == leaseId).isEmpty()) {
                return own + " changed right after it was claimed";
            }
            watcher = client.getWatchClient().watch(bytes(keys.subnetsPrefix()),
                    WatchOption.builder().isPrefix(true).withRevision(revision + 1).build(),
                    Watch.listener(
                            r -> signals.add(new Events(r.getEvents())),
                            e -> signals.add(new Trouble(e instanceof CompactedException
                                    ? "watch fell behind a compaction; listing again" : "watch failed: " + reason(e))),
                            () -> signals.add(new Trouble("watch ended"))));
            markUp(); // before the snapshot, so a listener that checks status sees the truth
            wasUp = true;
            deliver();
            while (true) {
                switch (signals.take()) {
                    case Trouble t -> {
                        return t.why();
                    }
                    case Events e -> {
                        Optional<String> lost = apply(e.events());
                        if (lost.isPresent()) {
                            return lost.get();
                        }
                        deliver();
                    }
                }
            }
        }

        private void ensureLease() throws ExecutionException, TimeoutException, InterruptedException {
            if (leaseId != 0) {
                LeaseTimeToLiveResponse r = await(client.getLeaseClient().timeToLive(leaseId, LeaseOption.DEFAULT));
                if (r.getTTL() > 0) {
                    return;
                }
                log.warn("lease " + Long.toHexString(leaseId) + " expired; claiming a block again");
                leaseId = 0;
            }
            LeaseGrantResponse g = await(client.getLeaseClient().grant(config.leaseTtl().toSeconds()));
            leaseId = g.getID();
            log.info("granted lease " + Long.toHexString(leaseId) + " (TTL " + g.getTTL() + "s)");
        }

        private void noteClaim(SubnetClaimer.Claim claim) {
            IpPrefix old = ownCidr;
            ownCidr = claim.cidr();
            if (old == null) {
                log.info("claimed " + claim.cidr() + " (" + claim.how().text + ")");
            } else if (!old.equals(claim.cidr())) {
                log.warn("block changed from " + old + " to " + claim.cidr() + " (" + claim.how().text
                        + "): pods on " + old + " lose their routes");
            } else if (claim.how() != SubnetClaimer.How.KEPT) {
                log.info("claimed " + claim.cidr() + " again (" + claim.how().text + ")");
            }
            try {
                if (!HintFile.read(config.stateDir()).equals(Optional.of(claim.cidr()))) {
                    HintFile.write(config.stateDir(), claim.cidr());
                }
            } catch (IOException e) {
                log.warn("cannot record " + claim.cidr() + " in " + HintFile.path(config.stateDir()) + ": " + e
                        + "; a restart after the lease expires may get another block");
            }
        }

        /** Replaces the table with a fresh listing; returns the listing's revision. */
        private long relist() throws ExecutionException, TimeoutException, InterruptedException {
            GetResponse r = await(client.getKVClient().get(bytes(keys.subnetsPrefix()),
                    GetOption.builder().isPrefix(true).build()));
            table.clear();
            for (KeyValue k : r.getKvs()) {
                claimer.entry(k).ifPresent(e -> {
                    table.put(e);
                    if (e.owner() == null) {
                        log.warn("ignoring " + text(k.getKey()) + ": " + e.problem());
                    }
                });
            }
            for (SubnetTable.Entry e : table.ownedBy(config.nodeName())) {
                if (!e.cidr().equals(ownCidr)) {
                    claimer.deleteIfUnchanged(e);
                }
            }
            return r.getHeader().getRevision();
        }

        /** Applies watch events; returns why the session must restart if this node lost its block. */
        private Optional<String> apply(List<WatchEvent> events)
                throws ExecutionException, TimeoutException, InterruptedException {
            String lost = null;
            for (WatchEvent ev : events) {
                KeyValue k = ev.getKeyValue();
                String key = text(k.getKey());
                Optional<IpPrefix> cidr = keys.cidrOf(key);
                if (cidr.isEmpty()) {
                    continue; // not a block key; nothing to show
                }
                boolean own = cidr.get().equals(ownCidr);
                switch (ev.getEventType()) {
                    case PUT -> {
                        SubnetTable.Entry e = claimer.entry(k).orElseThrow();
                        Optional<SubnetTable.Entry> before = table.put(e);
                        if (before.isEmpty() || !before.get().describeOwner().equals(e.describeOwner())) {
                            log.info(cidr.get() + " held by " + e.describeOwner());
                        }
                        if (own && !e.ownedBy(config.nodeName())) {
                            lost = "our block " + cidr.get() + " was rewritten to " + e.describeOwner();
                        } else if (!own && e.ownedBy(config.nodeName())) {
                            claimer.deleteIfUnchanged(e); // a late write of ours, or a stale run's key
                        }
                    }
                    case DELETE -> {
                        Optional<SubnetTable.Entry> before = table.remove(cidr.get());
                        log.info(cidr.get() + " released" + before.map(b -> " by " + b.describeOwner()).orElse(""));
                        if (own) {
                            lost = "our block's key " + key + " was deleted (lease expired or revoked)";
                        }
                    }
                    default -> {
                    }
                }
            }
            return Optional.ofNullable(lost);
        }

        private void deliver() {
            IpPrefix own = ownCidr;
            NodeInfo self = own == null ? null : new NodeInfo(config.nodeName(), config.nodeIp(), List.of(own));
            ClusterState s = table.snapshot(config.nodeName(), self);
            if (s.equals(delivered)) {
                return;
            }
            try {
                listener.accept(s);
                delivered = s;
            } catch (RuntimeException e) {
                // Not an etcd problem: keep the session, offer the state again with the next change.
                log.warn("the listener failed on a snapshot of " + s.nodes().size() + " nodes: " + e);
            }
        }

        private <T> T await(CompletableFuture<T> f) throws ExecutionException, TimeoutException, InterruptedException {
            return f.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            if (watcher != null) {
                watcher.close();
            }
            if (keepAlive != null) {
                keepAlive.close();
            }
        }
    }

    /** Turns keepalive failures into a signal; answers need no action. */
    private record KeepAliveObserver(BlockingQueue<Signal> signals) implements StreamObserver<LeaseKeepAliveResponse> {
        @Override
        public void onNext(LeaseKeepAliveResponse r) {
        }

        @Override
        public void onError(Throwable t) {
            signals.add(new Trouble("lease keepalive failed: " + reason(t)));
        }

        @Override
        public void onCompleted() {
            signals.add(new Trouble("lease keepalive got no answer before the lease's deadline"));
        }
    }

    /** The message worth logging: unwraps future wrappers and adds the root cause. */
    static String reason(Throwable t) {
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof TimeoutException) {
            return "no answer within " + CALL_TIMEOUT.toSeconds() + "s";
        }
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != t && root.getMessage() != null && !msg.contains(root.getMessage())) {
            msg += " (" + root.getMessage() + ")";
        }
        return msg;
    }
}
