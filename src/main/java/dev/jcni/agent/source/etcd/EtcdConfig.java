package dev.jcni.agent.source.etcd;

import dev.jcni.ipam.IpPrefix;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What an {@link EtcdSource} needs: where etcd is, who this node is, which range to carve node
 * blocks from, and how long a block outlives a silent agent.
 *
 * @param endpoints    etcd client URLs, e.g. {@code http://10.0.0.1:2379}
 * @param nodeName     this node's name; must be unique in the cluster
 * @param nodeIp       this node's underlay address, published beside its block
 * @param clusterCidr  the IPv4 range node blocks are carved from, e.g. {@code 10.244.0.0/16}
 * @param nodeCidrSize prefix length of one node's block, e.g. 24
 * @param stateDir     where the agent keeps the {@code etcd-subnet} hint file
 * @param leaseTtl     TTL of the lease holding the block (whole seconds, at least 1 s)
 * @param keyPrefix    root of the key space, {@value #DEFAULT_KEY_PREFIX} by default
 */
public record EtcdConfig(List<URI> endpoints, String nodeName, InetAddress nodeIp, IpPrefix clusterCidr,
                         int nodeCidrSize, Path stateDir, Duration leaseTtl, String keyPrefix) {

    public static final String DEFAULT_KEY_PREFIX = "/jcni";

    public EtcdConfig {
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("etcd: no endpoints");
        }
        Objects.requireNonNull(nodeName, "nodeName");
        if (nodeName.isEmpty() || nodeName.contains("/")) {
            throw new IllegalArgumentException("etcd: node name \"" + nodeName + "\" must be non-empty and have no '/'");
        }
        Objects.requireNonNull(nodeIp, "nodeIp");
        Objects.requireNonNull(clusterCidr, "clusterCidr");
        if (clusterCidr.isIpv6()) {
            throw new IllegalArgumentException("etcd: cluster CIDR " + clusterCidr + " is IPv6; node blocks are IPv4 only");
        }
        if (nodeCidrSize < clusterCidr.prefixLength() || nodeCidrSize > 30) {
            throw new IllegalArgumentException("etcd: node CIDR size /" + nodeCidrSize + " must be between /"
                    + clusterCidr.prefixLength() + " (the cluster CIDR " + clusterCidr + ") and /30");
        }
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(leaseTtl, "leaseTtl");
        if (leaseTtl.toSeconds() < 1) {
            throw new IllegalArgumentException("etcd: lease TTL " + leaseTtl + " is under one second");
        }
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        if (!keyPrefix.startsWith("/") || keyPrefix.endsWith("/")) {
            throw new IllegalArgumentException("etcd: key prefix \"" + keyPrefix + "\" must start with '/' and not end with one");
        }
    }

    /** With the default key prefix {@value #DEFAULT_KEY_PREFIX}. */
    public EtcdConfig(List<URI> endpoints, String nodeName, InetAddress nodeIp, IpPrefix clusterCidr,
                      int nodeCidrSize, Path stateDir, Duration leaseTtl) {
        this(endpoints, nodeName, nodeIp, clusterCidr, nodeCidrSize, stateDir, leaseTtl, DEFAULT_KEY_PREFIX);
    }

    /** The same settings for another underlay address. */
    public EtcdConfig withNodeIp(InetAddress ip) {
        return new EtcdConfig(endpoints, nodeName, ip, clusterCidr, nodeCidrSize, stateDir, leaseTtl, keyPrefix);
    }
}
