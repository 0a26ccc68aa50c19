package dev.jcni.agent;

import java.util.List;

/** What changed between two snapshots; the agent logs one line per entry. */
public record NodeChanges(List<NodeInfo> added, List<Changed> changed, List<NodeInfo> removed) {
    public record Changed(NodeInfo before, NodeInfo after) {}

    public boolean isEmpty() { return added.isEmpty() && changed.isEmpty() && removed.isEmpty(); }
}
