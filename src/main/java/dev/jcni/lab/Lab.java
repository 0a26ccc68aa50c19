package dev.jcni.lab;

import dev.jcni.json.Json;
import dev.jcni.json.JsonObject;
import dev.jcni.netlink.NetNs;
import dev.jcni.netlink.Netlink;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code jcni lab}: the whole system on one machine. Nodes are network namespaces on an underlay
 * "switch"; each runs a real agent; pods are created by the real plugin through the conflist the
 * agent wrote; a connectivity matrix shows what works.
 */
public final class Lab {
    /** Marks a directory as a lab's own, so that {@code down} never deletes anything else. */
    static final String MARKER = ".jcni-lab";

    private final PrintStream out;

    public Lab(PrintStream out) { this.out = out; }

    /** Builds the lab; returns the exit code (0 only when every connectivity check passes). */
    public int up(LabSpec spec) throws Exception {
        LabLayout layout = new LabLayout(spec);
        if (Files.exists(LabState.file(spec.labDir())) || NetNs.exists(layout.switchNs(1))) {
            out.println("a lab is already up in " + spec.labDir() + " (prefix " + spec.prefix() + "): run `jcni lab down` first");
            return 2;
        }
        List<String> missing = missingTools(spec);
        if (!missing.isEmpty()) {
            out.println("the lab needs " + String.join(" and ", missing) + " (Debian: apt-get install "
                    + String.join(" ", missing.stream().map(t -> t.equals("etcd") ? "etcd-server" : "nftables").toList()) + ")");
            return 2;
        }
        if (Files.isDirectory(spec.labDir())) {
            try (Stream<Path> s = Files.list(spec.labDir())) {
                if (s.findAny().isPresent()) {
                    out.println(spec.labDir() + " is not empty; the lab needs a directory of its own (--lab-dir)");
                    return 2;
                }
            }
        }
        Files.createDirectories(spec.labDir());
        Files.writeString(spec.labDir().resolve(MARKER), "jcni lab " + spec.prefix() + "\n");
        LabState state = new LabState(spec);
        state.save();
        Progress p = new Progress(out);
        out.printf("jcni lab: %d nodes × %d pods, backend %s, source %s, %s%n", spec.nodes(), spec.podsPerNode(),
                spec.backend().label(), spec.source(), spec.subnets() == 1 ? "one underlay subnet" : "two subnets behind a router");
        TopologyBuilder topo = new TopologyBuilder(layout);
        LabProcesses procs = new LabProcesses(layout);

        p.step("underlay switch" + (layout.subnetIds().size() > 1 ? "es" : "") + " (bridge br0 in " + layout.switchNs(1) + ")");
        topo.switches();
        p.done();
        p.step("router " + layout.routerNs() + " and internet host " + layout.internetNs() + " (203.0.113.10)");
        topo.router();
        p.done();
        p.step("nodes");
        for (LabLayout.Node n : layout.nodes()) {
            topo.node(n);
            state.nodes.add(new LabState.NodeRecord(n.name(), n.netns(), n.address().ip().getHostAddress(), null, 0));
        }
        state.save();
        p.done(layout.nodes().stream().map(n -> n.name() + " " + n.address()).reduce((a, b) -> a + ", " + b).orElse(""));

        if (spec.source().equals("etcd")) {
            p.step("etcd in " + layout.routerNs() + " at " + procs.etcdEndpoint());
            state.etcdPid = procs.startEtcd();
            state.save();
            waitForPort(layout.nodes().getFirst().netns(), LabLayout.routerOn(1).getHostAddress(), LabProcesses.ETCD_PORT, 60);
            p.done("pid " + state.etcdPid);
        } else {
            writeNodesFile(layout, procs.nodesFile());
        }

        p.step("agents (one per node, inside its namespace)");
        List<LabState.NodeRecord> started = new ArrayList<>();
        for (LabLayout.Node n : layout.nodes()) {
            long pid = procs.startAgent(n);
            started.add(new LabState.NodeRecord(n.name(), n.netns(), n.address().ip().getHostAddress(), null, pid));
        }
        state.nodes.clear();
        state.nodes.addAll(started);
        state.save();
        waitForAgents(layout, procs, state, 120);
        state.save();
        p.done();

        p.step("pods (CNI ADD with the conflist each agent wrote)");
        for (LabLayout.Pod pod : layout.pods()) {
            NetNs.create(pod.netns());
            try (Netlink nl = Netlink.openIn(NetNs.pathOf(pod.netns()))) {
                nl.links().setUp("lo");
            }
            ConflistExecutor cni = new ConflistExecutor(procs.confDir(pod.node()).resolve("10-jcni.conflist"), pod.node().netns());
            ConflistExecutor.Outcome o = cni.add(pod.containerId(), pod.netns(), "eth0");
            if (!o.ok()) throw new IllegalStateException("ADD " + pod.name() + " failed: " + o.stdout() + o.stderr());
            JsonObject result = JsonObject.parse(o.stdout());
            String ip = result.optObjectList("ips").orElseThrow().getFirst().str("address");
            String mac = result.optObjectList("interfaces").orElseThrow().stream()
                    .filter(i -> i.optStr("sandbox").isPresent()).findFirst().flatMap(i -> i.optStr("mac")).orElse("?");
            state.pods.add(new LabState.PodRecord(pod.name(), pod.node().name(), pod.netns(), pod.containerId(),
                    ip.substring(0, ip.indexOf('/')), mac));
            state.save();
        }
        p.done(state.pods.size() + " pods");
        out.println();
        return report(state);
    }

    /** The tables and the matrix of a running lab. */
    public int status(Path labDir) throws Exception {
        var state = LabState.load(labDir);
        if (state.isEmpty()) {
            out.println("no lab is up in " + labDir);
            return 1;
        }
        return report(state.get());
    }

    private int report(LabState state) throws Exception {
        printNodes(state);
        printPods(state);
        out.println("connectivity (ICMP echo):");
        ConnectivityMatrix m = new ConnectivityMatrix(state).measure();
        m.print(out);
        out.println(m.allPass() ? "✓ every check passed" : "✗ " + m.failures() + " check(s) failed");
        return m.allPass() ? 0 : 1;
    }

    private void printNodes(LabState state) {
        LabProcesses procs = new LabProcesses(new LabLayout(state.spec));
        List<List<String>> t = new ArrayList<>();
        t.add(List.of("node", "namespace", "node IP", "pod CIDR", "backend", "agent"));
        for (LabState.NodeRecord n : state.nodes) {
            boolean alive = n.agentPid() > 0 && ProcessHandle.of(n.agentPid()).map(ProcessHandle::isAlive).orElse(false);
            String ready = agentStatus(procs, n).map(s -> s.optBool("ready").orElse(false) ? "ready" : "not ready").orElse("no status");
            t.add(List.of(n.name(), n.netns(), n.ip(), n.podCidr() == null ? "?" : n.podCidr(), state.spec.backend().label(),
                    alive ? "pid " + n.agentPid() + ", " + ready : "not running"));
        }
        out.println("nodes:");
        Tables.print(out, t);
    }

    private void printPods(LabState state) {
        List<List<String>> t = new ArrayList<>();
        t.add(List.of("pod", "node", "IP", "MAC", "namespace"));
        for (LabState.PodRecord p : state.pods) t.add(List.of(p.name(), p.node(), p.ip(), p.mac(), p.netns()));
        out.println("pods:");
        Tables.print(out, t);
    }

    static java.util.Optional<JsonObject> agentStatus(LabProcesses procs, LabState.NodeRecord n) {
        Path f = procs.stateDir(n.name()).resolve("status.json");
        try {
            return Files.exists(f) ? java.util.Optional.of(JsonObject.parse(Files.readString(f))) : java.util.Optional.empty();
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** Removes everything a lab made, whatever state it is in; safe to run again. */
    public int down(LabSpec spec) throws IOException {
        LabLayout layout = new LabLayout(spec);
        LabState saved = null;
        try {
            saved = LabState.load(spec.labDir()).orElse(null);
        } catch (IOException | RuntimeException e) {
            out.println("lab.json is unreadable (" + e.getMessage() + "); removing what the prefix names");
        }
        if (saved != null) layout = new LabLayout(saved.spec);
        else layout = new LabLayout(new LabSpec(spec.prefix(), LabLayout.MAX_NODES, LabLayout.MAX_PODS, spec.backend(),
                spec.source(), 2, spec.labDir()));
        LabProcesses procs = new LabProcesses(layout);
        int stopped = 0;
        if (saved != null) {
            // A PID is only trusted while its command line still names this lab's directory.
            for (LabState.NodeRecord n : saved.nodes) {
                if (n.agentPid() > 0 && LabProcesses.stop(n.agentPid(), spec.labDir().toString())) stopped++;
            }
            if (saved.etcdPid > 0 && LabProcesses.stop(saved.etcdPid, spec.labDir().toString())) stopped++;
        }
        for (ProcessHandle h : procs.strays()) {
            h.destroy();
            try { h.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS); } catch (Exception e) { h.destroyForcibly(); }
            stopped++;
        }
        int removed = 0;
        // Only the namespaces the lab's layout names: never everything that happens to share the prefix.
        for (String ns : layout.allNamespaces()) {
            if (NetNs.exists(ns)) { NetNs.delete(ns); removed++; }
        }
        boolean dirRemoved = false;
        if (Files.exists(spec.labDir().resolve(MARKER))) {
            try (Stream<Path> walk = Files.walk(spec.labDir())) {
                for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
            }
            dirRemoved = true;
        } else if (Files.exists(spec.labDir())) {
            out.println("left " + spec.labDir() + " alone: it has no " + MARKER + " marker, so it is not a lab's");
        }
        out.printf("lab down: %d process(es) stopped, %d namespace(s) removed%s%n", stopped, removed,
                dirRemoved ? ", " + spec.labDir() + " removed" : "");
        return 0;
    }

    /** The programs the agents and the lab run: nft for the agents' rules, etcd for --source etcd. */
    static List<String> missingTools(LabSpec spec) {
        List<String> tools = new ArrayList<>(List.of("nft"));
        if (spec.source().equals("etcd")) tools.add("etcd");
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
        return tools.stream().filter(t -> java.util.Arrays.stream(path.split(":"))
                .noneMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, t)))).toList();
    }

    private void writeNodesFile(LabLayout layout, Path file) throws IOException {
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (LabLayout.Node n : layout.nodes()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", n.name());
            m.put("ip", n.address().ip().getHostAddress());
            m.put("podcidr", n.podCidr().toString());
            nodes.add(m);
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, Json.pretty(Map.of("nodes", nodes)) + "\n");
    }

    private void waitForAgents(LabLayout layout, LabProcesses procs, LabState state, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        List<LabState.NodeRecord> ready = new ArrayList<>();
        for (LabState.NodeRecord n : state.nodes) {
            LabLayout.Node node = layout.nodes().stream().filter(x -> x.name().equals(n.name())).findFirst().orElseThrow();
            Path status = procs.stateDir(node).resolve("status.json");
            Path conf = procs.confDir(node).resolve("10-jcni.conflist");
            while (true) {
                if (Files.exists(conf) && Files.exists(status)) {
                    JsonObject s = JsonObject.parse(Files.readString(status));
                    if (s.optBool("ready").orElse(false)) {
                        String cidr = s.optStrList("podCidrs").orElse(List.of()).stream().findFirst().orElse(null);
                        ready.add(new LabState.NodeRecord(n.name(), n.netns(), n.ip(), cidr, n.agentPid()));
                        break;
                    }
                }
                if (!ProcessHandle.of(n.agentPid()).map(ProcessHandle::isAlive).orElse(false)) {
                    throw new IllegalStateException("the agent of " + n.name() + " exited; see " + procs.nodeDir(node).resolve("agent.log"));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the agent of " + n.name() + " was not ready within " + seconds
                            + " s; see " + procs.nodeDir(node).resolve("agent.log"));
                }
                Thread.sleep(100);
            }
        }
        state.nodes.clear();
        state.nodes.addAll(ready);
        // Each agent must also know all the others' ranges before pods are probed.
        for (LabLayout.Node node : layout.nodes()) {
            Path status = procs.stateDir(node).resolve("status.json");
            while (true) {
                JsonObject s = JsonObject.parse(Files.readString(status));
                long installed = s.optObjectList("peers").orElse(List.of()).stream()
                        .filter(x -> x.optStr("route").orElse("").equals("installed")).count();
                if (installed >= layout.nodes().size() - 1) break;
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(node.name() + " has routes to " + installed + " of " + (layout.nodes().size() - 1) + " peers");
                }
                Thread.sleep(100);
            }
        }
    }

    private static void waitForPort(String fromNs, String host, int port, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean up = NetNs.run(NetNs.pathOf(fromNs), () -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(host, port), 500);
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
            if (up) return;
            Thread.sleep(200);
        }
        throw new IllegalStateException(host + ":" + port + " did not answer within " + seconds + " s");
    }
}
