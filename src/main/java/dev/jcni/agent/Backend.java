package dev.jcni.agent;

/** How pod traffic reaches another node. */
public enum Backend {
    /** A plain route "podCIDR via nodeIP": needs the peer on a directly connected subnet. */
    HOST_GW,
    /** Encapsulation in VXLAN (VNI 1, UDP 4789) to the peer's node IP, across any routed underlay. */
    VXLAN,
    /** host-gw where the peer is directly connected, vxlan for the rest. */
    AUTO;

    public static Backend parse(String s) {
        return switch (s.toLowerCase()) {
            case "host-gw", "hostgw" -> HOST_GW;
            case "vxlan" -> VXLAN;
            case "auto" -> AUTO;
            default -> throw new IllegalArgumentException("backend must be auto, host-gw or vxlan, not " + s);
        };
    }

    public String label() { return this == HOST_GW ? "host-gw" : name().toLowerCase(); }
}
