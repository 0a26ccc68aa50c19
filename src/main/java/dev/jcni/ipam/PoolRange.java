package dev.jcni.ipam;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/**
 * One range to allocate from: a prefix and an inclusive [rangeStart, rangeEnd] inside it.
 *
 * <p>Whatever the bounds say, the network address, the gateway (network + 1) and the IPv4
 * broadcast address are never handed out; {@link #isAllocatable} is the single place that rule
 * lives. That makes tiny prefixes fall out naturally: a /31, /32, /127 or /128 simply has no room.
 */
public record PoolRange(IpPrefix prefix, InetAddress rangeStart, InetAddress rangeEnd) {

    public PoolRange {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(rangeStart, "rangeStart");
        Objects.requireNonNull(rangeEnd, "rangeEnd");
        for (InetAddress bound : new InetAddress[] {rangeStart, rangeEnd}) {
            if (!prefix.contains(bound)) {
                throw new IllegalArgumentException(
                        "range bound " + IpAddresses.format(bound) + " is outside subnet " + prefix);
            }
        }
        if (prefix.offsetOf(rangeStart).compareTo(prefix.offsetOf(rangeEnd)) > 0) {
            throw new IllegalArgumentException("rangeStart " + IpAddresses.format(rangeStart)
                    + " is after rangeEnd " + IpAddresses.format(rangeEnd) + " in " + prefix);
        }
        rangeStart = IpAddresses.ofBytes(rangeStart.getAddress());
        rangeEnd = IpAddresses.ofBytes(rangeEnd.getAddress());
    }

    /** The whole prefix: gateway + 1 up to the last usable address. */
    public static PoolRange of(IpPrefix prefix) {
        return of(prefix, null, null);
    }

    /** Bounds may be null for the defaults (gateway + 1, and the last address of the prefix). */
    public static PoolRange of(IpPrefix prefix, InetAddress rangeStart, InetAddress rangeEnd) {
        Objects.requireNonNull(prefix, "prefix");
        // Clamped so a /32 still builds; isAllocatable then finds nothing in it.
        BigInteger firstUsable = BigInteger.TWO.min(prefix.size().subtract(BigInteger.ONE));
        InetAddress start = rangeStart != null ? rangeStart : prefix.addressAt(firstUsable);
        InetAddress end = rangeEnd != null ? rangeEnd : prefix.lastAddress();
        return new PoolRange(prefix, start, end);
    }

    public static PoolRange parse(String cidr) {
        return of(IpPrefix.parse(cidr));
    }

    public boolean isIpv6() {
        return prefix.isIpv6();
    }

    public InetAddress gateway() {
        return prefix.gateway();
    }

    /**
     * Stable name for this range in a store (the "last reserved" bookmark), safe as a file name.
     * Derived from the subnet rather than a list index, so reordering the config keeps it.
     */
    public String id() {
        return IpAddresses.toFileName(prefix.network()) + "-" + prefix.prefixLength();
    }

    /** Inside the bounds and not the network, gateway or IPv4 broadcast address. */
    public boolean isAllocatable(InetAddress address) {
        if (!prefix.contains(address)) {
            return false;
        }
        BigInteger offset = prefix.offsetOf(address);
        if (offset.compareTo(prefix.offsetOf(rangeStart)) < 0 || offset.compareTo(prefix.offsetOf(rangeEnd)) > 0) {
            return false;
        }
        if (offset.signum() == 0 || offset.equals(BigInteger.ONE)) {
            return false; // network, gateway
        }
        return prefix.broadcast().map(b -> !b.equals(address)).orElse(true);
    }

    /**
     * Every allocatable address once, round-robin: starting just after {@code last} when it is in
     * the range (so a just-released address is the last one offered again), else at rangeStart.
     * Lazy, so a /64 costs nothing beyond what the caller consumes.
     */
    public Iterable<InetAddress> walkAfter(Optional<InetAddress> last) {
        BigInteger start = prefix.offsetOf(rangeStart);
        BigInteger end = prefix.offsetOf(rangeEnd);
        BigInteger count = end.subtract(start).add(BigInteger.ONE);
        BigInteger first = last.filter(a -> prefix.contains(a))
                .map(prefix::offsetOf)
                .filter(o -> o.compareTo(start) >= 0 && o.compareTo(end) <= 0)
                .map(o -> o.equals(end) ? start : o.add(BigInteger.ONE))
                .orElse(start);
        return () -> new Iterator<>() {
            private BigInteger cursor = first;
            private BigInteger remaining = count;
            private InetAddress next = advance();

            private InetAddress advance() {
                while (remaining.signum() > 0) {
                    InetAddress candidate = prefix.addressAt(cursor);
                    cursor = cursor.equals(end) ? start : cursor.add(BigInteger.ONE);
                    remaining = remaining.subtract(BigInteger.ONE);
                    if (isAllocatable(candidate)) {
                        return candidate;
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public InetAddress next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                InetAddress current = next;
                next = advance();
                return current;
            }
        };
    }

    @Override
    public String toString() {
        return IpAddresses.format(rangeStart) + "-" + IpAddresses.format(rangeEnd) + " in " + prefix;
    }
}
