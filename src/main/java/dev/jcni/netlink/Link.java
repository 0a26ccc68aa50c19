package dev.jcni.netlink;

import java.net.InetAddress;

/**
 * A link as the kernel reports it ({@code ip -d link show}).
 *
 * @param kind        "bridge", "veth", "vxlan", "dummy"… or null for a physical device
 * @param masterIndex the bridge it is enslaved to, 0 if none
 * @param parentIndex IFLA_LINK: a veth's peer index (in its own namespace), 0 if none
 * @param hairpin     bridge-port hairpin mode, null when not a bridge port
 * @param vxlan       VXLAN parameters, null for other kinds
 * @param alias       IFLA_IFALIAS ({@code ip link set NAME alias TEXT}), null if unset
 */
public record Link(int index, String name, String kind, int mtu, boolean up, boolean lowerUp, String mac,
                   int masterIndex, int parentIndex, Integer linkNetnsId, Boolean hairpin, Vxlan vxlan, String alias) {

    public record Vxlan(int vni, InetAddress local, int port, boolean learning, int underlayIndex) {}
}
