package dev.jcni.ipam;

import java.net.InetAddress;
import java.util.Objects;

/** An address given to an attachment, with what a CNI result needs to describe it. */
public record Allocation(InetAddress ip, IpPrefix prefix, InetAddress gateway) {
    public Allocation {
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(gateway, "gateway");
        if (!prefix.contains(ip)) {
            throw new IllegalArgumentException(IpAddresses.format(ip) + " is outside " + prefix);
        }
    }

    public boolean isIpv6() {
        return prefix.isIpv6();
    }

    /** "10.240.0.5/24", the form a CNI result's ips[].address takes. */
    public String cidr() {
        return prefix.withPrefix(ip);
    }

    @Override
    public String toString() {
        return cidr() + " gw " + IpAddresses.format(gateway);
    }
}
