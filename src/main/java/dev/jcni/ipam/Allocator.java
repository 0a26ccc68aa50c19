package dev.jcni.ipam;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Hands out addresses to attachments: one per range, and at most one range per IP family, so a
 * dual-stack network gets one IPv4 and one IPv6 address per (container, ifname).
 *
 * <p>Every operation runs under the store lock. Allocation walks each range round-robin from the
 * last address reserved in it (host-local's strategy), so a crash-looping pod does not get the
 * address it just released until the whole range has been used once.
 */
public final class Allocator {

    private final ReservationStore store;
    private final List<PoolRange> ranges;

    public Allocator(ReservationStore store, List<PoolRange> ranges) {
        this.store = Objects.requireNonNull(store, "store");
        this.ranges = List.copyOf(ranges);
        if (this.ranges.isEmpty()) {
            throw new IllegalArgumentException("no IP ranges configured");
        }
        if (this.ranges.stream().filter(PoolRange::isIpv6).count() > 1
                || this.ranges.stream().filter(r -> !r.isIpv6()).count() > 1) {
            throw new IllegalArgumentException("at most one IPv4 and one IPv6 range, got " + this.ranges);
        }
    }

    public List<PoolRange> ranges() {
        return ranges;
    }

    /**
     * One address per range for {@code key}. Addresses the key already holds are returned again,
     * so a repeated ADD is idempotent. If any range is full, the addresses this call reserved are
     * released and {@link PoolExhaustedException} names the range.
     */
    public List<Allocation> allocate(ReservationKey key) {
        Objects.requireNonNull(key, "key");
        try (StoreLock _ = store.lock()) {
            List<Reservation> current = store.all();
            Set<InetAddress> taken = new HashSet<>();
            List<InetAddress> mine = new ArrayList<>();
            for (Reservation r : current) {
                taken.add(r.ip());
                if (r.key().equals(key)) mine.add(r.ip());
            }
            List<Allocation> result = new ArrayList<>();
            List<InetAddress> reservedNow = new ArrayList<>();
            try {
                for (PoolRange range : ranges) {
                    Optional<InetAddress> existing = mine.stream().filter(range.prefix()::contains).findFirst();
                    InetAddress ip = existing.isPresent() ? existing.get() : reserveNext(key, range, taken);
                    if (existing.isEmpty()) reservedNow.add(ip);
                    result.add(allocation(range, ip));
                }
            } catch (RuntimeException e) {
                rollback(reservedNow, e);
                throw e;
            }
            return List.copyOf(result);
        }
    }

    /** Releases everything {@code key} holds; releasing twice, or nothing, is fine (DEL). */
    public void release(ReservationKey key) {
        Objects.requireNonNull(key, "key");
        try (StoreLock _ = store.lock()) {
            store.releaseByKey(key);
        }
    }

    /** The addresses {@code key} holds in the configured ranges, in range order (CHECK). */
    public List<Allocation> find(ReservationKey key) {
        Objects.requireNonNull(key, "key");
        try (StoreLock _ = store.lock()) {
            List<InetAddress> mine = store.findByKey(key);
            List<Allocation> result = new ArrayList<>();
            for (PoolRange range : ranges) {
                mine.stream().filter(range.prefix()::contains).findFirst()
                        .ifPresent(ip -> result.add(allocation(range, ip)));
            }
            return List.copyOf(result);
        }
    }

    /** True when every range has a free address, i.e. an ADD could succeed now (STATUS). */
    public boolean hasRoom() {
        try (StoreLock _ = store.lock()) {
            Set<InetAddress> taken = new HashSet<>();
            store.all().forEach(r -> taken.add(r.ip()));
            return ranges.stream().allMatch(range -> firstFree(range, taken).isPresent());
        }
    }

    /**
     * Releases every reservation whose key is not in {@code valid} (GC) and returns them. Keeps
     * going past a failed release; if any failed, throws afterwards with each failure attached.
     */
    public List<Reservation> gc(Set<ReservationKey> valid) {
        Objects.requireNonNull(valid, "valid");
        try (StoreLock _ = store.lock()) {
            List<Reservation> released = new ArrayList<>();
            List<RuntimeException> failures = new ArrayList<>();
            for (Reservation r : store.all()) {
                if (valid.contains(r.key())) {
                    continue;
                }
                try {
                    store.releaseIp(r.ip());
                    released.add(r);
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }
            if (!failures.isEmpty()) {
                StoreException e = new StoreException("GC released " + released.size()
                        + " reservations but failed on " + failures.size(), null, failures.getFirst());
                failures.stream().skip(1).forEach(e::addSuppressed);
                throw e;
            }
            return List.copyOf(released);
        }
    }

    private InetAddress reserveNext(ReservationKey key, PoolRange range, Set<InetAddress> taken) {
        Optional<InetAddress> last = store.lastReserved(range.id());
        for (InetAddress candidate : range.walkAfter(last)) {
            // `taken` spares a store round trip per busy address; reserve() still has the last word.
            if (!taken.contains(candidate) && store.reserve(key, candidate, range.id())) {
                taken.add(candidate);
                return candidate;
            }
        }
        throw new PoolExhaustedException(range);
    }

    private static Optional<InetAddress> firstFree(PoolRange range, Set<InetAddress> taken) {
        for (InetAddress candidate : range.walkAfter(Optional.empty())) {
            if (!taken.contains(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Allocation allocation(PoolRange range, InetAddress ip) {
        return new Allocation(ip, range.prefix(), range.gateway());
    }

    private void rollback(List<InetAddress> reservedNow, RuntimeException cause) {
        for (InetAddress ip : reservedNow) {
            try {
                store.releaseIp(ip);
            } catch (RuntimeException e) {
                cause.addSuppressed(e);
            }
        }
    }
}
