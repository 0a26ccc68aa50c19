package dev.jcni.agent;

import java.util.ArrayList;
import java.util.List;

/** Pure: two snapshots in, added / changed / removed nodes out, in name order. */
public final class NodeDiffer {
    private NodeDiffer() {}

    public static NodeChanges diff(ClusterState before, ClusterState after) {
        List<NodeInfo> added = new ArrayList<>();
        List<NodeChanges.Changed> changed = new ArrayList<>();
        List<NodeInfo> removed = new ArrayList<>();
        for (NodeInfo n : sorted(after)) {
            NodeInfo old = before.nodes().get(n.name());
            if (old == null) added.add(n);
            else if (!old.equals(n)) changed.add(new NodeChanges.Changed(old, n));
        }
        for (NodeInfo n : sorted(before)) {
            if (!after.nodes().containsKey(n.name())) removed.add(n);
        }
        return new NodeChanges(added, changed, removed);
    }

    private static List<NodeInfo> sorted(ClusterState s) {
        return s.nodes().values().stream().sorted(java.util.Comparator.comparing(NodeInfo::name)).toList();
    }
}
