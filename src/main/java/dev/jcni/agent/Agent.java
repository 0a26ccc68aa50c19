package dev.jcni.agent;

import dev.jcni.agent.datapath.Datapath;
import dev.jcni.agent.datapath.DatapathPlan;
import dev.jcni.agent.datapath.NodeLinks;
import dev.jcni.agent.datapath.PeerRoute;
import dev.jcni.agent.datapath.RouteReconciler;
import dev.jcni.agent.datapath.RoutePlanner;
import dev.jcni.agent.datapath.Vtep;
import dev.jcni.agent.source.ClusterStateSource;
import dev.jcni.ipam.IpPrefix;
import dev.jcni.json.Json;
import dev.jcni.netlink.Inet;
import dev.jcni.netlink.IpNet;
import dev.jcni.netlink.Link;
import dev.jcni.netlink.Netlink;
import dev.jcni.netlink.Route;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The node agent: cluster-state snapshots in, the node's datapath out. All work happens on one loop
 * thread (snapshots and the periodic resync are queued to it), so there is no shared mutable state.
 * Stopping leaves the datapath in place: pods keep working while the agent is down.
 */
public final class Agent implements AutoCloseable {
    private final AgentConfig cfg;
    private final ClusterStateSource source;
    private final Netfilter netfilter;
    private final AgentMetrics metrics = new AgentMetrics();
    private final AgentLog log = new AgentLog("agent");
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("agent-loop").unstarted(r));
    private final CountDownLatch stopped = new CountDownLatch(1);

    // Owned by the loop thread.
    private ClusterState state = ClusterState.EMPTY;
    private Netlink nl;
    private volatile boolean conflistWritten;
    private volatile boolean reconciled;
    private volatile String statusJson = "{}";
    private AgentHttp http;
    private PluginSocketServer pluginServer;

    public Agent(AgentConfig cfg, ClusterStateSource source, Netfilter netfilter) {
        this.cfg = cfg;
        this.source = source;
        this.netfilter = netfilter;
    }

    public boolean ready() { return conflistWritten && reconciled; }

    public AgentMetrics metrics() { return metrics; }

    /** Starts serving, watching and reconciling; returns at once. */
    public void start() throws IOException {
        if (cfg.metricsAddr() != null) {
            http = new AgentHttp(cfg.metricsAddr(), this::ready, metrics, () -> statusJson);
            log.info("serving /healthz /readyz /metrics /status on " + cfg.metricsAddr().getHostString() + ":" + http.port());
        }
        if (cfg.pluginSocket() != null) {
            pluginServer = new PluginSocketServer(cfg.pluginSocket(), System.getenv("JCNI_TEST_HOOKS") != null);
        }
        log.info("node " + cfg.nodeName() + ", source " + source.describe() + ", backend " + cfg.backend().label());
        source.start(s -> loop.execute(() -> onSnapshot(s)));
        loop.scheduleWithFixedDelay(() -> reconcile("resync"), cfg.resync().toMillis(), cfg.resync().toMillis(),
                TimeUnit.MILLISECONDS);
    }


    /** Blocks until {@link #close()}. */
    public void awaitStop() throws InterruptedException { stopped.await(); }

    private void onSnapshot(ClusterState next) {
        NodeChanges changes = NodeDiffer.diff(state, next);
        for (NodeInfo n : changes.added()) log.info("node added: " + describe(n));
        for (NodeChanges.Changed c : changes.changed()) log.info("node changed: " + describe(c.before()) + " -> " + describe(c.after()));
        for (NodeInfo n : changes.removed()) log.info("node removed: " + describe(n));
        state = next;
        metrics.nodesKnown.set(next.nodes().size());
        if (!changes.isEmpty() || !reconciled) reconcile("snapshot");
    }

    private void reconcile(String why) {
        long t0 = System.nanoTime();
        metrics.sourceConnected.labelValues(source.describe()).set(source.status().connected() ? 1 : 0);
        try {
            if (nl == null) nl = Netlink.open();
            NodeInfo self = state.node(cfg.nodeName()).orElse(null);
            if (self == null || self.podCidrs().isEmpty()) {
                log.info("waiting for this node's pod CIDR (" + why + ")");
                return;
            }
            NodeLinks links = new NodeLinks(nl);
            InetAddress nodeIp = cfg.nodeIp() != null ? cfg.nodeIp() : self.ip() != null ? self.ip()
                    : links.defaultSource().orElseThrow(() -> new IllegalStateException("no --node-ip and no default route"));
            Link underlay = links.underlay(nodeIp)
                    .orElseThrow(() -> new IllegalStateException("node IP " + nodeIp.getHostAddress() + " is on no local link"));
            int mtu = cfg.backend() == Backend.HOST_GW ? underlay.mtu() : underlay.mtu() - Vtep.OVERHEAD;
            if (new ConflistWriter(cfg.cniConfDir()).write(ConflistWriter.content(cfg.bridge(), self.podCidrs(), cfg.ipamDir(), mtu,
                    pluginServer == null ? null : cfg.pluginSocket()))) {
                log.info("wrote " + cfg.cniConfDir().resolve(ConflistWriter.FILE) + " for " + self.podCidrs() + ", mtu " + mtu);
            }
            conflistWritten = true;

            DatapathPlan plan = RoutePlanner.plan(cfg.nodeName(), state, cfg.backend(), links.connectedSubnets(cfg.bridge()));
            for (String u : plan.unreachable()) log.warn("cannot reach " + u);
            // Each piece is applied on its own: one refusal must not keep the others from converging.
            List<String> failures = new ArrayList<>();
            Datapath.Applied applied = new Datapath(nl).apply(plan, nodeIp, underlay, self.podCidrs(), cfg.bridge(), failures);
            if (applied.added() + applied.replaced() + applied.deleted() + applied.staleVxlanEntries() > 0) {
                log.info("routes: " + applied.routes() + " programmed (" + applied.added() + " added, " + applied.replaced()
                        + " replaced, " + applied.deleted() + " withdrawn), " + applied.staleVxlanEntries() + " stale vxlan entries removed");
            }
            try {
                netfilter.apply(clusterCidrs(), self.podCidrs(), cfg.bridge());
            } catch (RuntimeException e) {
                failures.add("netfilter: " + e.getMessage());
            }
            metrics.routesProgrammed.set(applied.routes());
            metrics.peersUnreachable.set(plan.unreachable().size());
            for (String f : failures) log.warn("reconcile (" + why + "): " + f);
            if (!failures.isEmpty()) metrics.reconcileErrors.inc();
            reconciled = failures.isEmpty();
            metrics.ready.set(ready() ? 1 : 0);
            writeStatus(self, nodeIp, plan, (System.nanoTime() - t0) / 1_000_000, failures);
        } catch (Throwable e) { // an escaping throwable would cancel every later resync
            metrics.reconcileErrors.inc();
            reconciled = false;
            metrics.ready.set(0);
            log.warn("reconcile (" + why + ") failed: " + e);
        } finally {
            metrics.reconciles.inc();
            metrics.reconcileSeconds.observe((System.nanoTime() - t0) / 1e9);
        }
    }

    /** The cluster range, or when none was given, every node's pod range. */
    private List<IpPrefix> clusterCidrs() {
        if (cfg.clusterCidr() != null) return List.of(cfg.clusterCidr());
        return state.nodes().values().stream().flatMap(n -> n.podCidrs().stream()).distinct().sorted(
                java.util.Comparator.comparing(IpPrefix::toString)).toList();
    }

    private void writeStatus(NodeInfo self, InetAddress nodeIp, DatapathPlan plan, long reconcileMillis,
                             List<String> failures) throws IOException {
        java.util.Set<IpNet> owned = new java.util.HashSet<>();
        for (Route r : new RouteReconciler(nl).owned()) owned.add(r.dst().network());
        Map<String, List<PeerRoute>> byNode = new java.util.HashMap<>();
        for (PeerRoute r : plan.routes()) byNode.computeIfAbsent(r.node(), k -> new ArrayList<>()).add(r);
        List<Map<String, Object>> peers = new ArrayList<>();
        for (NodeInfo n : state.nodes().values()) {
            if (n.name().equals(self.name())) continue;
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", n.name());
            p.put("ip", n.ip() == null ? null : Inet.format(n.ip()));
            p.put("podCidrs", n.podCidrs().stream().map(IpPrefix::toString).toList());
            List<PeerRoute> planned = byNode.getOrDefault(n.name(), List.of());
            p.put("mode", planned.isEmpty() ? "-" : planned.getFirst().vxlan() ? "vxlan" : "host-gw");
            p.put("via", planned.isEmpty() ? null : Inet.format(planned.getFirst().via()));
            boolean installed = !planned.isEmpty() && planned.stream().allMatch(
                    r -> owned.contains(new IpNet(r.dst().network(), r.dst().prefixLength())));
            p.put("route", planned.isEmpty() ? (n.podCidrs().isEmpty() ? "no pod CIDR yet" : "unreachable") : installed ? "installed" : "missing");
            peers.add(p);
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("node", self.name());
        s.put("ip", Inet.format(nodeIp));
        s.put("podCidrs", self.podCidrs().stream().map(IpPrefix::toString).toList());
        s.put("backend", cfg.backend().label());
        s.put("source", source.describe());
        s.put("sourceConnected", source.status().connected());
        s.put("ready", ready());
        s.put("updated", Instant.now().toString());
        s.put("lastReconcileMillis", reconcileMillis);
        s.put("errors", failures);
        s.put("unreachable", plan.unreachable());
        s.put("routesProgrammed", owned.size());
        s.put("peers", peers);
        statusJson = Json.pretty(s);
        Files.createDirectories(cfg.stateDir());
        Path tmp = cfg.statusFile().resolveSibling("status.json.tmp");
        Files.writeString(tmp, statusJson + "\n");
        Files.move(tmp, cfg.statusFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String describe(NodeInfo n) {
        return n.name() + " " + (n.ip() == null ? "?" : Inet.format(n.ip())) + " " + n.podCidrs();
    }

    /** Stops watching and serving; the routes, vxlan device, rules and conflist stay. */
    @Override
    public void close() {
        log.info("stopping; the datapath stays in place");
        source.close();
        loop.shutdown();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (http != null) http.close();
        if (pluginServer != null) pluginServer.close();
        if (nl != null) nl.close();
        stopped.countDown();
    }
}
