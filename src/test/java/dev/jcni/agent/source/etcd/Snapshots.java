package dev.jcni.agent.source.etcd;

import dev.jcni.agent.ClusterState;
import dev.jcni.agent.NodeInfo;
import dev.jcni.ipam.IpPrefix;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Records what a source delivers, and waits for conditions on it. */
final class Snapshots implements Consumer<ClusterState> {
    private final List<ClusterState> all = new CopyOnWriteArrayList<>();

    @Override
    public void accept(ClusterState s) {
        all.add(s);
    }

    List<ClusterState> all() {
        return List.copyOf(all);
    }

    int count() {
        return all.size();
    }

    ClusterState last() {
        return all.isEmpty() ? ClusterState.EMPTY : all.getLast();
    }

    /** Waits until the latest snapshot satisfies {@code p}; fails naming {@code what} and the last one. */
    ClusterState await(String what, Predicate<ClusterState> p, Duration timeout) {
        Await.until(what, () -> p.test(last()), timeout, () -> "last snapshot " + last());
        return last();
    }

    /** Predicate: the snapshot shows {@code name} with {@code cidr}. */
    static Predicate<ClusterState> shows(String name, IpPrefix cidr) {
        return s -> s.node(name).map(NodeInfo::podCidrs).equals(Optional.of(List.of(cidr)));
    }

    static Predicate<ClusterState> lacks(String name) {
        return s -> s.node(name).isEmpty();
    }

    /** Polling waits. */
    static final class Await {
        private Await() {}

        static void until(String what, BooleanSupplier condition, Duration timeout, Supplier<String> detail) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what
                            + "; " + detail.get());
                }
                EtcdServer.sleep(25);
            }
        }
    }
}
