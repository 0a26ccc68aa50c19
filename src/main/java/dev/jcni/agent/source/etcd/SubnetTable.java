package dev.jcni.agent.source.etcd;

import dev.jcni.agent.ClusterState;
import dev.jcni.agent.NodeInfo;
import dev.jcni.ipam.IpAddresses;
import dev.jcni.ipam.IpPrefix;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The source's picture of {@code /jcni/subnets/}: one entry per block key, as listed and then
 * patched by watch events. Pure data, so the snapshot rules are tested without etcd. Not thread
 * safe: only the source's own thread touches it.
 */
final class SubnetTable {

    /**
     * One subnet key. {@code owner} is null when the value could not be read ({@code problem} says
     * why); such a block still counts as taken.
     */
    record Entry(IpPrefix cidr, SubnetKeys.Owner owner, String problem, long modRevision, long lease) {
        static Entry of(IpPrefix cidr, String value, long modRevision, long lease) {
            try {
                return new Entry(cidr, SubnetKeys.parseOwner(value), null, modRevision, lease);
            } catch (IllegalArgumentException e) {
                return new Entry(cidr, null, e.getMessage(), modRevision, lease);
            }
        }

        boolean ownedBy(String node) {
            return owner != null && owner.node().equals(node);
        }

        String describeOwner() {
            return owner == null ? "an unreadable value (" + problem + ")"
                    : owner.node() + " (" + IpAddresses.format(owner.ip()) + ")";
        }
    }

    private static final Comparator<IpPrefix> ORDER =
            Comparator.comparing(IpPrefix::network, IpAddresses.ORDER).thenComparingInt(IpPrefix::prefixLength);

    private final TreeMap<IpPrefix, Entry> entries = new TreeMap<>(ORDER);
    /** How many entries have each prefix length, so {@link #conflicts} needs no scan. */
    private final TreeMap<Integer, Integer> lengths = new TreeMap<>();

    SubnetTable() {}

    SubnetTable(Collection<Entry> initial) {
        initial.forEach(this::put);
    }

    /** Adds or replaces; returns the entry it replaced. */
    Optional<Entry> put(Entry e) {
        Entry before = entries.put(e.cidr(), e);
        if (before == null) {
            lengths.merge(e.cidr().prefixLength(), 1, Integer::sum);
        }
        return Optional.ofNullable(before);
    }

    Optional<Entry> remove(IpPrefix cidr) {
        Entry before = entries.remove(cidr);
        if (before != null) {
            lengths.computeIfPresent(cidr.prefixLength(), (k, n) -> n == 1 ? null : n - 1);
        }
        return Optional.ofNullable(before);
    }

    Optional<Entry> get(IpPrefix cidr) {
        return Optional.ofNullable(entries.get(cidr));
    }

    void clear() {
        entries.clear();
        lengths.clear();
    }

    List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    List<Entry> ownedBy(String node) {
        return entries.values().stream().filter(e -> e.ownedBy(node)).toList();
    }

    /**
     * True when {@code block} or anything overlapping it is held: a key starting inside the block, or
     * a larger key containing it. O(log n), since claiming walks thousands of blocks.
     */
    boolean conflicts(IpPrefix block) {
        IpPrefix next = entries.ceilingKey(block);
        if (next != null && block.contains(next.network())) {
            return true;
        }
        for (int length : lengths.headMap(block.prefixLength()).keySet()) {
            IpPrefix outer = IpPrefix.parse(IpAddresses.format(block.network()) + "/" + length);
            if (entries.containsKey(outer)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The cluster as the keys say, with {@code self} (when known) standing for this node whatever its
     * keys say. A node with several keys (a stale one not yet expired) shows its newest block only;
     * unreadable entries are left out.
     */
    ClusterState snapshot(String selfName, NodeInfo self) {
        Map<String, Entry> newest = new HashMap<>();
        for (Entry e : entries.values()) {
            if (e.owner() == null || e.owner().node().equals(selfName)) {
                continue;
            }
            newest.merge(e.owner().node(), e, (a, b) -> a.modRevision() >= b.modRevision() ? a : b);
        }
        List<NodeInfo> nodes = new ArrayList<>();
        for (Entry e : newest.values()) {
            nodes.add(new NodeInfo(e.owner().node(), e.owner().ip(), List.of(e.cidr())));
        }
        if (self != null) {
            nodes.add(self);
        }
        return ClusterState.of(nodes);
    }
}
