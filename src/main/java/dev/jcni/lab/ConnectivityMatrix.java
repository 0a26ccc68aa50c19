package dev.jcni.lab;

import dev.jcni.netlink.Inet;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Every pod to every other pod, every pod to the internet host (which only answers masqueraded
 * traffic), every node to every pod. Probes run in parallel; the matrix passes only if every cell does.
 */
public final class ConnectivityMatrix {
    public static final String INTERNET = "internet";

    private final LabState state;
    private final LabLayout layout;
    private final Map<String, Probe> cells = new LinkedHashMap<>();

    public ConnectivityMatrix(LabState state) {
        this.state = state;
        this.layout = new LabLayout(state.spec);
    }

    public ConnectivityMatrix measure() throws Exception {
        List<Future<Probe>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (LabState.PodRecord src : state.pods) {
                for (LabState.PodRecord dst : state.pods) {
                    if (src == dst) continue;
                    futures.add(pool.submit(() -> Probe.run(src.name(), src.netns(), dst.name(), Inet.parse(dst.ip()))));
                }
                futures.add(pool.submit(() -> Probe.run(src.name(), src.netns(), INTERNET, LabLayout.INTERNET_HOST)));
            }
            for (LabState.NodeRecord n : state.nodes) {
                for (LabState.PodRecord dst : state.pods) {
                    futures.add(pool.submit(() -> Probe.run(n.name(), n.netns(), dst.name(), Inet.parse(dst.ip()))));
                }
            }
            for (Future<Probe> f : futures) {
                Probe p = f.get();
                cells.put(p.from() + "→" + p.to(), p);
            }
        }
        return this;
    }

    public boolean allPass() { return !cells.isEmpty() && cells.values().stream().allMatch(Probe::ok); }

    public long failures() { return cells.values().stream().filter(p -> !p.ok()).count(); }

    public int size() { return cells.size(); }

    public void print(PrintStream out) {
        List<String> cols = new ArrayList<>(state.pods.stream().map(LabState.PodRecord::name).toList());
        cols.add(INTERNET);
        List<String> rows = new ArrayList<>(state.pods.stream().map(LabState.PodRecord::name).toList());
        rows.addAll(state.nodes.stream().map(LabState.NodeRecord::name).toList());
        List<List<String>> table = new ArrayList<>();
        List<String> header = new ArrayList<>();
        header.add("from \\ to");
        header.addAll(cols);
        table.add(header);
        for (String r : rows) {
            List<String> line = new ArrayList<>();
            line.add(r);
            for (String c : cols) {
                Probe p = cells.get(r + "→" + c);
                line.add(r.equals(c) ? "·" : p == null ? "—" : p.cell());
            }
            table.add(line);
        }
        Tables.print(out, table);
        out.printf("%d of %d checks passed%s%n", cells.size() - failures(), cells.size(),
                allPass() ? "" : "  (✗ = no answer within 3 tries)");
        out.println("rows: pods, then nodes (node → pod); \"internet\" is " + Inet.format(LabLayout.INTERNET_HOST)
                + ", reachable only through the nodes' masquerade (it has no route to the pod ranges)");
    }
}
