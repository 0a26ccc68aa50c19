package dev.jcni.netlink;

/** An interface address ({@code ip addr show}). */
public record Address(int ifindex, IpNet address, int scope, int flags, String label) {
    public boolean noDad() { return (flags & dev.jcni.netlink.codec.Rtnl.IFA_F_NODAD) != 0; }
}
