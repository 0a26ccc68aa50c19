package dev.jcni.ipam;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One reserved address and its holder. The range is not recorded: ranges do not overlap, so the
 * address alone says which one it belongs to, and a stored range id could go stale when the
 * network config changes.
 */
public record Reservation(InetAddress ip, ReservationKey key) {
    public Reservation {
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(key, "key");
    }

    @Override
    public String toString() {
        return IpAddresses.format(ip) + " for " + key;
    }
}
