package dev.jcni.agent.source;

import dev.jcni.agent.ClusterState;

import java.util.function.Consumer;

/**
 * Where the agent learns the cluster: a static file, etcd, or the Kubernetes API. Each implementation
 * delivers complete snapshots (never deltas) to the listener, from its own thread, whenever what it
 * knows changes; the agent diffs them. During an outage a source keeps quiet and the agent keeps the
 * last snapshot.
 */
public interface ClusterStateSource extends AutoCloseable {

    /** Starts watching; the first snapshot should follow as soon as the source has read the state. */
    void start(Consumer<ClusterState> listener);

    /** Whether the source is currently connected to its backend, for metrics and logs. */
    SourceStatus status();

    /** e.g. "file:/etc/jcni/nodes.json" or "etcd:http://127.0.0.1:2379". */
    String describe();

    @Override
    void close();
}
