package dev.jcni.plugin;

import dev.jcni.netlink.Link;
import dev.jcni.netlink.LinkSpec;
import dev.jcni.netlink.NetNs;
import dev.jcni.netlink.Netlink;
import dev.jcni.netlink.NotFoundException;
import dev.jcni.netlink.NsFd;

import java.nio.file.Path;

/**
 * The veth pair: the host end named for the attachment, the pod end born inside the pod's namespace
 * already named CNI_IFNAME (it never exists in the host namespace, so it cannot clash there).
 */
public final class VethSetup {
    private final Netlink host;

    public VethSetup(Netlink host) { this.host = host; }

    /** Creates the pair; a leftover host end of an earlier, killed ADD for the same attachment is replaced. */
    public Link create(String hostName, String podIfname, int mtu, Path podNetns) {
        deleteIfPresent(hostName);
        try (NsFd pod = NetNs.open(podNetns)) {
            host.links().add(new LinkSpec.Veth(hostName, podIfname, mtu, pod));
        }
        return host.links().get(hostName);
    }

    /** Puts the host end on the bridge, labels it with its owner, sets hairpin, and brings it up. */
    public Link plugIn(String hostName, String bridge, boolean hairpin, String owner) {
        host.links().setAlias(hostName, owner);
        host.links().setMaster(hostName, bridge);
        if (hairpin) host.links().setHairpin(hostName, true);
        host.links().setUp(hostName);
        return host.links().get(hostName);
    }

    /** Deleting one end removes both; a missing link is success (DEL must be idempotent). */
    public void deleteIfPresent(String hostName) {
        try {
            host.links().del(hostName);
        } catch (NotFoundException gone) {
            // already gone
        }
    }
}
