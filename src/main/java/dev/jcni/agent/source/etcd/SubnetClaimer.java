package dev.jcni.agent.source.etcd;

import dev.jcni.agent.AgentLog;
import dev.jcni.ipam.IpPrefix;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Gets this node a block, in the order the {@link EtcdSource} class comment gives: its own key
 * (taken over), then its previous block, then the first free one. Every write is a transaction
 * guarded by a compare, so two agents never hold one block: a lost race just moves on.
 */
final class SubnetClaimer {

    /** How the block was obtained, for the log. */
    enum How {
        KEPT("already held on this lease"),
        TAKEN_OVER("taken over from an earlier lease of this node"),
        HINT("this node's previous block"),
        FREE("first free block");

        final String text;

        How(String text) {
            this.text = text;
        }
    }

    record Claim(IpPrefix cidr, How how) {
    }

    /** Raised when every block is held; the source retries later. */
    static final class NoFreeBlockException extends RuntimeException {
        NoFreeBlockException(String message) {
            super(message);
        }
    }

    private static final int MAX_ROUNDS = 5;

    private final KV kv;
    private final EtcdConfig config;
    private final SubnetKeys keys;
    private final Duration timeout;
    private final AgentLog log;

    SubnetClaimer(KV kv, EtcdConfig config, SubnetKeys keys, Duration timeout, AgentLog log) {
        this.kv = kv;
        this.config = config;
        this.keys = keys;
        this.timeout = timeout;
        this.log = log;
    }

    Claim acquire(long lease) throws ExecutionException, TimeoutException, InterruptedException {
        String value = SubnetKeys.ownerValue(new SubnetKeys.Owner(config.nodeName(), config.nodeIp()));
        for (int round = 0; round < MAX_ROUNDS; round++) {
            SubnetTable held = list();
            List<IpPrefix> hints = hints();

            // (1) A key already names this node: a previous incarnation whose lease still runs.
            List<SubnetTable.Entry> mine = new ArrayList<>(held.ownedBy(config.nodeName()));
            if (!mine.isEmpty()) {
                mine.sort(Comparator.comparing((SubnetTable.Entry e) -> !hints.contains(e.cidr()))
                        .thenComparing(SubnetTable.Entry::modRevision, Comparator.reverseOrder()));
                SubnetTable.Entry pick = mine.getFirst();
                Optional<How> how = takeOver(pick, lease, value);
                if (how.isEmpty()) {
                    continue; // changed under us: look again
                }
                for (SubnetTable.Entry stale : mine.subList(1, mine.size())) {
                    deleteIfUnchanged(stale);
                }
                return new Claim(pick.cidr(), how.get());
            }

            // (2) The block this node held last, if nobody took it meanwhile.
            for (IpPrefix hint : hints) {
                Optional<SubnetTable.Entry> holder = held.entries().stream()
                        .filter(e -> Blocks.overlap(e.cidr(), hint)).findFirst();
                if (holder.isPresent()) {
                    log.info("previous block " + hint + " is now held by " + holder.get().describeOwner());
                } else if (create(hint, lease, value)) {
                    return new Claim(hint, How.HINT);
                }
            }

            // (3) The first free block, in address order; a block lost to a race moves us to the next.
            for (Iterator<IpPrefix> it = Blocks.all(config.clusterCidr(), config.nodeCidrSize()).iterator(); it.hasNext(); ) {
                IpPrefix block = it.next();
                if (!held.conflicts(block) && create(block, lease, value)) {
                    return new Claim(block, How.FREE);
                }
            }
            throw new NoFreeBlockException("no free /" + config.nodeCidrSize() + " block left in "
                    + config.clusterCidr() + " (" + held.entries().size() + " keys held, "
                    + Blocks.count(config.clusterCidr(), config.nodeCidrSize()) + " blocks)");
        }
        throw new IllegalStateException("the subnet keys of node " + config.nodeName() + " kept changing during "
                + MAX_ROUNDS + " attempts to take them over; is another agent running with the same node name?");
    }

    /** Everything under {@code subnets/} that names a block. */
    SubnetTable list() throws ExecutionException, TimeoutException, InterruptedException {
        GetResponse r = await(kv.get(bytes(keys.subnetsPrefix()), GetOption.builder().isPrefix(true).build()));
        SubnetTable table = new SubnetTable();
        for (KeyValue k : r.getKvs()) {
            entry(k).ifPresent(table::put);
        }
        return table;
    }

    /** The subnet key as a table entry; empty for a key under subnets/ that names no block. */
    Optional<SubnetTable.Entry> entry(KeyValue k) {
        return keys.cidrOf(text(k.getKey())).map(cidr ->
                SubnetTable.Entry.of(cidr, text(k.getValue()), k.getModRevision(), k.getLease()));
    }

    /** The hints that name a block of the current layout: the etcd node key first, then the file. */
    private List<IpPrefix> hints() throws ExecutionException, TimeoutException, InterruptedException {
        List<IpPrefix> out = new ArrayList<>();
        String nodeKey = keys.nodeKey(config.nodeName());
        GetResponse r = await(kv.get(bytes(nodeKey)));
        for (KeyValue k : r.getKvs()) {
            addHint(out, nodeKey, text(k.getValue()));
        }
        try {
            HintFile.read(config.stateDir()).ifPresent(c -> addHint(out, HintFile.path(config.stateDir()).toString(), c.toString()));
        } catch (IOException e) {
            log.warn("ignoring the hint file: " + e.getMessage());
        }
        return out;
    }

    private void addHint(List<IpPrefix> out, String where, String text) {
        IpPrefix cidr;
        try {
            cidr = IpPrefix.parse(text.strip());
        } catch (IllegalArgumentException e) {
            log.warn("ignoring the hint in " + where + ": " + e.getMessage());
            return;
        }
        if (!Blocks.isBlockOf(config.clusterCidr(), config.nodeCidrSize(), cidr)) {
            log.info("ignoring the hint " + cidr + " in " + where + ": not a /" + config.nodeCidrSize()
                    + " block of " + config.clusterCidr());
        } else if (!out.contains(cidr)) {
            out.add(cidr);
        }
    }

    /** Re-puts an existing key of this node on {@code lease}; empty when it changed meanwhile. */
    private Optional<How> takeOver(SubnetTable.Entry e, long lease, String value)
            throws ExecutionException, TimeoutException, InterruptedException {
        String key = keys.subnetKey(e.cidr());
        if (e.lease() == lease && SubnetKeys.ownerValue(e.owner()).equals(value)) {
            return Optional.of(How.KEPT);
        }
        boolean ok = await(kv.txn()
                .If(new Cmp(bytes(key), Cmp.Op.EQUAL, CmpTarget.modRevision(e.modRevision())))
                .Then(Op.put(bytes(key), bytes(value), PutOption.builder().withLeaseId(lease).build()),
                        Op.put(bytes(keys.nodeKey(config.nodeName())), bytes(e.cidr().toString()), PutOption.DEFAULT))
                .commit()).isSucceeded();
        return ok ? Optional.of(e.lease() == lease ? How.KEPT : How.TAKEN_OVER) : Optional.empty();
    }

    /** Creates the key of {@code block} if nobody has it, and records the hint; false if taken. */
    boolean create(IpPrefix block, long lease, String value)
            throws ExecutionException, TimeoutException, InterruptedException {
        String key = keys.subnetKey(block);
        return await(kv.txn()
                .If(new Cmp(bytes(key), Cmp.Op.EQUAL, CmpTarget.version(0)))
                .Then(Op.put(bytes(key), bytes(value), PutOption.builder().withLeaseId(lease).build()),
                        Op.put(bytes(keys.nodeKey(config.nodeName())), bytes(block.toString()), PutOption.DEFAULT))
                .commit()).isSucceeded();
    }

    /** Deletes a stale key of this node unless someone rewrote it meanwhile. */
    void deleteIfUnchanged(SubnetTable.Entry e) throws ExecutionException, TimeoutException, InterruptedException {
        String key = keys.subnetKey(e.cidr());
        boolean ok = await(kv.txn()
                .If(new Cmp(bytes(key), Cmp.Op.EQUAL, CmpTarget.modRevision(e.modRevision())))
                .Then(Op.delete(bytes(key), DeleteOption.DEFAULT))
                .commit()).isSucceeded();
        if (ok) {
            log.info("deleted " + key + ", a stale second block of this node");
        }
    }

    private <T> T await(CompletableFuture<T> f) throws ExecutionException, TimeoutException, InterruptedException {
        return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    static String text(ByteSequence b) {
        return b.toString(StandardCharsets.UTF_8);
    }
}
