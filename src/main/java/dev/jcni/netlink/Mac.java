package dev.jcni.netlink;

import java.util.HexFormat;

/** Ethernet addresses as the kernel holds them (6 bytes) and as people write them (aa:bb:…). */
public final class Mac {
    private static final HexFormat HEX = HexFormat.ofDelimiter(":");

    private Mac() {}

    public static String format(byte[] mac) { return mac == null ? null : HEX.formatHex(mac); }

    public static byte[] parse(String mac) {
        byte[] b = HEX.parseHex(mac.toLowerCase());
        if (b.length != 6) throw new IllegalArgumentException("not a MAC address: " + mac);
        return b;
    }
}
