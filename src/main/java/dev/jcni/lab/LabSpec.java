package dev.jcni.lab;

import dev.jcni.agent.Backend;

import java.nio.file.Path;

/**
 * What {@code jcni lab up} builds.
 *
 * @param prefix  every namespace the lab makes is named {@code <prefix>-…}
 * @param subnets 1: all nodes on 10.10.10.0/24 (as the original walkthrough); 2: odd nodes there and
 *                even nodes on 10.10.20.0/24, with the router between them (host-gw can't cross it)
 */
public record LabSpec(String prefix, int nodes, int podsPerNode, Backend backend, String source, int subnets, Path labDir) {
    public static final String DEFAULT_PREFIX = "jlab";
    public static final Path DEFAULT_DIR = Path.of("/var/lib/jcni-lab");

    public LabSpec {
        if (nodes < 1 || nodes > 50) throw new IllegalArgumentException("--nodes must be 1..50");
        if (podsPerNode < 1 || podsPerNode > 50) throw new IllegalArgumentException("--pods-per-node must be 1..50");
        if (subnets != 1 && subnets != 2) throw new IllegalArgumentException("--subnets must be 1 or 2");
        if (!source.equals("file") && !source.equals("etcd")) throw new IllegalArgumentException("--source must be file or etcd");
        if (!prefix.matches("[a-z][a-z0-9]{0,7}")) throw new IllegalArgumentException("--prefix: 1-8 lowercase letters/digits");
    }
}
