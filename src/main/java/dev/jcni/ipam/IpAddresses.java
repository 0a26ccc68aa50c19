package dev.jcni.ipam;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Conversions between {@link InetAddress}, text and {@link BigInteger}, without DNS and without
 * the JDK's surprises: {@code InetAddress.getByName} may resolve names, accepts "10.1" and octal
 * parts, and turns IPv4-mapped IPv6 addresses into {@link Inet4Address}. Every address made here
 * keeps its family: 16 bytes always give an {@link Inet6Address} with no scope.
 */
public final class IpAddresses {

    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    /** IPv4 before IPv6, then numeric: the order stores list addresses in. */
    public static final Comparator<InetAddress> ORDER =
            Comparator.comparing(IpAddresses::isIpv6).thenComparing(IpAddresses::toBigInteger);

    private IpAddresses() {}

    /** Parses a literal IPv4 (strict dotted quad) or IPv6 address; never does a lookup. */
    public static InetAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty IP address");
        }
        if (IPV4.matcher(text).matches()) {
            return ofBytes(toV4Bytes(text));
        }
        // Brackets and zone ids ("%eth0") have no meaning in an IPAM pool.
        if (text.indexOf(':') < 0 || !IPV6_CHARS.matcher(text).matches()) {
            throw new IllegalArgumentException("not an IP address: \"" + text + "\"");
        }
        InetAddress parsed;
        try {
            parsed = Inet6Address.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IP address: \"" + text + "\"", e);
        }
        return parsed instanceof Inet4Address v4 ? ofBytes(mapped(v4.getAddress())) : parsed;
    }

    public static boolean isIpv6(InetAddress address) {
        return address instanceof Inet6Address;
    }

    /** Address width in bits: 32 or 128. */
    public static int bits(InetAddress address) {
        return isIpv6(address) ? 128 : 32;
    }

    public static BigInteger toBigInteger(InetAddress address) {
        return new BigInteger(1, address.getAddress());
    }

    /** Builds an address of the given family; {@code value} must fit in 32 or 128 bits. */
    public static InetAddress fromBigInteger(BigInteger value, boolean ipv6) {
        int length = ipv6 ? 16 : 4;
        if (value.signum() < 0 || value.bitLength() > length * 8) {
            throw new IllegalArgumentException(value + " does not fit in an IPv" + (ipv6 ? 6 : 4) + " address");
        }
        byte[] raw = value.toByteArray();
        byte[] bytes = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, bytes, length - copy, copy);
        return ofBytes(bytes);
    }

    /** 4 bytes give IPv4, 16 bytes give IPv6 (even for ::ffff:a.b.c.d). */
    public static InetAddress ofBytes(byte[] bytes) {
        try {
            return switch (bytes.length) {
                case 4 -> InetAddress.getByAddress(bytes);
                case 16 -> Inet6Address.getByAddress(null, bytes, -1);
                default -> throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + bytes.length);
            };
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Canonical text: dotted quad, or RFC 5952 for IPv6 (lower case, longest zero run as "::"). */
    public static String format(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // RFC 5952: a single zero group is not shortened
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) j++;
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') out.append(':');
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    /** A name safe as one path segment on any file system: IPv6 ':' becomes '_'. */
    public static String toFileName(InetAddress address) {
        return format(address).replace(':', '_');
    }

    /** Inverse of {@link #toFileName}; empty for names that are not addresses. */
    public static Optional<InetAddress> fromFileName(String name) {
        try {
            InetAddress address = parse(name.replace('_', ':'));
            // Only the canonical spelling counts, so one address maps to exactly one file.
            return toFileName(address).equals(name) ? Optional.of(address) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static byte[] toV4Bytes(String text) {
        String[] parts = text.split("\\.");
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            bytes[i] = (byte) Integer.parseInt(parts[i]);
        }
        return bytes;
    }

    private static byte[] mapped(byte[] v4) {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xff;
        bytes[11] = (byte) 0xff;
        System.arraycopy(v4, 0, bytes, 12, 4);
        return bytes;
    }
}
