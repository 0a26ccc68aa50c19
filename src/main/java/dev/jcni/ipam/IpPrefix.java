package dev.jcni.ipam;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * An IP network in CIDR form, such as {@code 10.240.0.0/24} or {@code fd00:10:240::/64}.
 * The record always holds the network address (no host bits set); {@link #parseDetailed} tells
 * whether the text had host bits that were dropped.
 */
public record IpPrefix(InetAddress network, int prefixLength) {

    /** What the text said: the prefix and the address as written before normalization. */
    public record Parsed(IpPrefix prefix, InetAddress address) {
        /** True when the text had host bits set ("10.0.0.5/24") and they were cleared. */
        public boolean normalized() {
            return !address.equals(prefix.network());
        }
    }

    public IpPrefix {
        Objects.requireNonNull(network, "network");
        int bits = IpAddresses.bits(network);
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException(
                    "prefix length " + prefixLength + " out of range 0.." + bits + " for " + IpAddresses.format(network));
        }
        if (!IpAddresses.toBigInteger(network).and(hostMask(bits, prefixLength)).equals(BigInteger.ZERO)) {
            throw new IllegalArgumentException(
                    IpAddresses.format(network) + "/" + prefixLength + " has host bits set; use IpPrefix.parse to normalize");
        }
        // Drop any scope id or host name the caller's InetAddress carried.
        network = IpAddresses.ofBytes(network.getAddress());
    }

    /** Parses "10.240.0.0/24"; host bits are cleared ("10.240.0.7/24" gives 10.240.0.0/24). */
    public static IpPrefix parse(String text) {
        return parseDetailed(text).prefix();
    }

    /** Like {@link #parse}, but also returns the address as written, to detect normalization. */
    public static Parsed parseDetailed(String text) {
        if (text == null) {
            throw new IllegalArgumentException("CIDR is null");
        }
        int slash = text.indexOf('/');
        if (slash < 0 || slash != text.lastIndexOf('/')) {
            throw new IllegalArgumentException("not a CIDR (want address/length): \"" + text + "\"");
        }
        InetAddress address;
        try {
            address = IpAddresses.parse(text.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a CIDR, bad address: \"" + text + "\"", e);
        }
        String lengthText = text.substring(slash + 1);
        if (!lengthText.matches("0|[1-9]\\d{0,2}")) {
            throw new IllegalArgumentException("not a CIDR, bad prefix length: \"" + text + "\"");
        }
        int length = Integer.parseInt(lengthText);
        int bits = IpAddresses.bits(address);
        if (length > bits) {
            throw new IllegalArgumentException("prefix length " + length + " exceeds " + bits + " bits: \"" + text + "\"");
        }
        BigInteger net = IpAddresses.toBigInteger(address).andNot(hostMask(bits, length));
        return new Parsed(new IpPrefix(IpAddresses.fromBigInteger(net, bits == 128), length), address);
    }

    public boolean isIpv6() {
        return IpAddresses.isIpv6(network);
    }

    public int bits() {
        return IpAddresses.bits(network);
    }

    /** Number of addresses, network and broadcast included. */
    public BigInteger size() {
        return BigInteger.ONE.shiftLeft(bits() - prefixLength);
    }

    /** The conventional gateway: network + 1. A /32 or /128 has none. */
    public InetAddress gateway() {
        if (size().compareTo(BigInteger.TWO) < 0) {
            throw new IllegalStateException(this + " has no room for a gateway");
        }
        return addressAt(BigInteger.ONE);
    }

    /** The last address of the prefix (the broadcast address for IPv4). */
    public InetAddress lastAddress() {
        return addressAt(size().subtract(BigInteger.ONE));
    }

    /** IPv4 broadcast; empty for IPv6 (which has none) and for /31 and /32 (RFC 3021). */
    public Optional<InetAddress> broadcast() {
        return isIpv6() || prefixLength > 30 ? Optional.empty() : Optional.of(lastAddress());
    }

    /** True for an address of the same family inside this prefix. */
    public boolean contains(InetAddress address) {
        if (IpAddresses.isIpv6(address) != isIpv6()) {
            return false;
        }
        BigInteger offset = IpAddresses.toBigInteger(address).subtract(IpAddresses.toBigInteger(network));
        return offset.signum() >= 0 && offset.compareTo(size()) < 0;
    }

    /** The address {@code offset} past the network address; must stay inside the prefix. */
    public InetAddress addressAt(BigInteger offset) {
        if (offset.signum() < 0 || offset.compareTo(size()) >= 0) {
            throw new IllegalArgumentException("offset " + offset + " is outside " + this);
        }
        return IpAddresses.fromBigInteger(IpAddresses.toBigInteger(network).add(offset), isIpv6());
    }

    /** Inverse of {@link #addressAt}. */
    public BigInteger offsetOf(InetAddress address) {
        if (!contains(address)) {
            throw new IllegalArgumentException(IpAddresses.format(address) + " is outside " + this);
        }
        return IpAddresses.toBigInteger(address).subtract(IpAddresses.toBigInteger(network));
    }

    /** "10.240.0.5/24": an address inside this prefix, written with this prefix length. */
    public String withPrefix(InetAddress address) {
        if (!contains(address)) {
            throw new IllegalArgumentException(IpAddresses.format(address) + " is outside " + this);
        }
        return IpAddresses.format(address) + "/" + prefixLength;
    }

    @Override
    public String toString() {
        return IpAddresses.format(network) + "/" + prefixLength;
    }

    private static BigInteger hostMask(int bits, int prefixLength) {
        return BigInteger.ONE.shiftLeft(bits - prefixLength).subtract(BigInteger.ONE);
    }
}
