package dev.jcni.cli;

import dev.jcni.agent.AgentConfig;
import dev.jcni.agent.Netfilter;
import dev.jcni.agent.source.ClusterStateSource;
import dev.jcni.agent.netfilter.NodeNetfilter;
import dev.jcni.agent.source.file.FileSource;

import dev.jcni.agent.datapath.NodeLinks;
import dev.jcni.agent.source.etcd.EtcdSource;
import dev.jcni.agent.source.kube.KubernetesSource;
import dev.jcni.netlink.Netlink;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Builds the cluster-state source named by --source. */
final class Sources {
    private Sources() {}

    static ClusterStateSource create(AgentConfig cfg) {
        String s = cfg.source();
        if (s.startsWith("file:")) return new FileSource(Path.of(s.substring(5)));
        if (s.startsWith("etcd:")) {
            if (cfg.clusterCidr() == null) throw new IllegalArgumentException("--source etcd needs --cluster-cidr to lease blocks from");
            InetAddress ip = cfg.nodeIp() != null ? cfg.nodeIp() : defaultNodeIp();
            List<URI> endpoints = Arrays.stream(s.substring(5).split(",")).map(String::trim).map(URI::create).toList();
            return new EtcdSource(endpoints, cfg.nodeName(), ip, cfg.clusterCidr(), cfg.nodeCidrSize(), cfg.stateDir(), cfg.etcdLeaseTtl());
        }
        if (s.equals("kubernetes")) return KubernetesSource.fromEnvironment();
        throw new IllegalArgumentException("--source must be file:PATH, etcd:URL[,URL] or kubernetes, not " + s);
    }

    /** The source address of this namespace's default route, as --node-ip's default. */
    static InetAddress defaultNodeIp() {
        try (Netlink nl = Netlink.open()) {
            return new NodeLinks(nl).defaultSource()
                    .orElseThrow(() -> new IllegalArgumentException("no default route: give --node-ip"));
        }
    }

    static Netfilter netfilter() {
        return new NodeNetfilter();
    }
}
