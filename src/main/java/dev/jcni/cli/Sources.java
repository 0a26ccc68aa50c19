package dev.jcni.cli;

import dev.jcni.agent.AgentConfig;
import dev.jcni.agent.Netfilter;
import dev.jcni.agent.source.ClusterStateSource;
import dev.jcni.agent.netfilter.NodeNetfilter;
import dev.jcni.agent.source.file.FileSource;

import java.nio.file.Path;

/** Builds the cluster-state source named by --source. */
final class Sources {
    private Sources() {}

    static ClusterStateSource create(AgentConfig cfg) {
        String s = cfg.source();
        if (s.startsWith("file:")) return new FileSource(Path.of(s.substring(5)));
        throw new IllegalArgumentException("--source must be file:PATH, etcd:URL[,URL] or kubernetes, not " + s);
    }

    static Netfilter netfilter() {
        return new NodeNetfilter();
    }
}
