package dev.jcni.plugin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Link names: the kernel's rules, and the host-side veth name jcni derives for an attachment. */
public final class InterfaceNames {
    /** Every host veth jcni makes starts with this, so GC can tell its own links apart. */
    public static final String HOST_VETH_PREFIX = "jc";

    private InterfaceNames() {}

    /**
     * The alias on a host veth ({@code ip link} shows it): which network and attachment own it, so GC
     * removes only its own network's links even when two networks share a bridge.
     */
    public static String owner(String network, String containerId, String ifname) {
        return ownerPrefix(network) + containerId + "/" + ifname;
    }

    public static String ownerPrefix(String network) { return "jcni " + network + " "; }

    public static boolean valid(String name) {
        return !name.isEmpty() && name.length() <= 15 && !name.equals(".") && !name.equals("..")
                && name.chars().noneMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c));
    }

    /**
     * A stable name for (container ID, ifname): "jc" + 13 hex digits of a SHA-256. Stable, so a DEL
     * finds the link without a netns or prevResult, and a retried ADD replaces a leftover of a killed one.
     */
    public static String hostVeth(String containerId, String ifname) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest((containerId + "\0" + ifname).getBytes(StandardCharsets.UTF_8));
            return HOST_VETH_PREFIX + HexFormat.of().formatHex(h).substring(0, 13);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
