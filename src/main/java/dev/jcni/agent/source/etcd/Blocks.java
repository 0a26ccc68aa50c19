package dev.jcni.agent.source.etcd;

import dev.jcni.ipam.IpAddresses;
import dev.jcni.ipam.IpPrefix;

import java.math.BigInteger;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/** Node blocks inside the cluster range: enumeration in address order, and overlap tests. */
final class Blocks {
    private Blocks() {}

    /** Every block of length {@code size} inside {@code cluster}, lowest address first, lazily. */
    static Stream<IpPrefix> all(IpPrefix cluster, int size) {
        if (size < cluster.prefixLength() || size > cluster.bits()) {
            throw new IllegalArgumentException("/" + size + " blocks do not fit in " + cluster);
        }
        long count = 1L << (size - cluster.prefixLength());
        BigInteger step = BigInteger.ONE.shiftLeft(cluster.bits() - size);
        return LongStream.range(0, count).mapToObj(i -> new IpPrefix(
                cluster.addressAt(step.multiply(BigInteger.valueOf(i))), size));
    }

    /** Number of blocks of length {@code size} in {@code cluster}. */
    static long count(IpPrefix cluster, int size) {
        return 1L << (size - cluster.prefixLength());
    }

    /** True when {@code block} is one of {@link #all}: inside the cluster and of that size. */
    static boolean isBlockOf(IpPrefix cluster, int size, IpPrefix block) {
        return block.prefixLength() == size && !block.isIpv6() && cluster.contains(block.network());
    }

    /** True when the two prefixes share an address (for prefixes: one contains the other). */
    static boolean overlap(IpPrefix a, IpPrefix b) {
        return IpAddresses.isIpv6(a.network()) == IpAddresses.isIpv6(b.network())
                && (a.contains(b.network()) || b.contains(a.network()));
    }
}
