package dev.jcni.agent;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A complete snapshot of the nodes, keyed by name. Sources emit one whenever anything changes. */
public record ClusterState(Map<String, NodeInfo> nodes) {
    public ClusterState {
        nodes = Map.copyOf(nodes);
    }

    public static ClusterState of(Collection<NodeInfo> nodes) {
        Map<String, NodeInfo> m = new TreeMap<>();
        for (NodeInfo n : nodes) m.put(n.name(), n);
        return new ClusterState(m);
    }

    public static final ClusterState EMPTY = new ClusterState(Map.of());

    public Optional<NodeInfo> node(String name) { return Optional.ofNullable(nodes.get(name)); }
}
