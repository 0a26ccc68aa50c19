package dev.jcni.agent.source.kube;

import dev.jcni.agent.ClusterState;
import dev.jcni.agent.source.kube.NodeConverter.Conversion;
import io.fabric8.kubernetes.api.model.Node;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The nodes the informer has reported, converted, keyed by name. Each update says whether anything the
 * agent uses changed, so a kubelet's status heartbeat neither logs nor produces a snapshot. Not
 * thread-safe: the informer's handler, which fabric8 calls one event at a time, owns it.
 */
final class NodeTable {

    /** What one event did; {@code before} or {@code after} is null when the node was absent. */
    record Change(String name, Conversion before, Conversion after) {
        boolean changed() { return !Objects.equals(before, after); }

        /** True when the line is worth a warning: the node is skipped or had data ignored. */
        boolean hasProblems() { return after != null && !after.problems().isEmpty(); }

        /** "node n1 added: 10.0.0.1 pods [10.244.1.0/24]", "node n2 removed", ... */
        String logLine() {
            if (after == null) return "node " + name + " removed";
            String verb = before == null ? "added" : "changed";
            return "node " + name + " " + verb + ": " + after.summary();
        }
    }

    private final Map<String, Conversion> nodes = new TreeMap<>();

    Change put(Node node) {
        Conversion after = NodeConverter.convert(node);
        if (after.name() == null || after.name().isEmpty()) {
            // The API server never sends one; there is no key to file it under.
            return new Change("(unnamed)", null, after);
        }
        return new Change(after.name(), nodes.put(after.name(), after), after);
    }

    Change remove(String name) {
        return new Change(name, nodes.remove(name), null);
    }

    /** Every node with a usable InternalIP; skipped nodes are left out. */
    ClusterState snapshot() {
        return ClusterState.of(nodes.values().stream().flatMap(c -> c.node().stream()).toList());
    }

    int size() { return nodes.size(); }

    long skipped() { return nodes.values().stream().filter(c -> c.node().isEmpty()).count(); }
}
