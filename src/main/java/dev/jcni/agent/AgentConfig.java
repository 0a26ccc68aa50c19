package dev.jcni.agent;

import dev.jcni.ipam.IpPrefix;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code jcni agent} was told.
 *
 * @param nodeIp      null: the source address of the default route
 * @param clusterCidr null: the union of the nodes' pod CIDRs stands in (file and kubernetes sources)
 * @param pluginSocket where the agent serves plugin requests (the fast path); null: off
 */
public record AgentConfig(String nodeName, InetAddress nodeIp, String source, IpPrefix clusterCidr, int nodeCidrSize,
                          Backend backend, Path cniConfDir, Path stateDir, String bridge,
                          InetSocketAddress metricsAddr, Duration resync, Duration etcdLeaseTtl, Path pluginSocket) {

    /** Where the plugin keeps IPAM state on this node. */
    public Path ipamDir() { return stateDir.resolve("ipam"); }

    /** The agent's status for {@code jcni status}. */
    public Path statusFile() { return stateDir.resolve("status.json"); }
}
