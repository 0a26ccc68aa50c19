package dev.jcni.plugin;

import dev.jcni.ipam.Allocation;
import dev.jcni.ipam.Allocator;
import dev.jcni.ipam.DiskReservationStore;
import dev.jcni.ipam.PoolExhaustedException;
import dev.jcni.ipam.PoolRange;
import dev.jcni.ipam.ReservationKey;
import dev.jcni.ipam.StoreException;
import dev.jcni.netlink.IpNet;
import dev.jcni.spec.Attachment;
import dev.jcni.spec.CniException;
import dev.jcni.spec.CniRequest;
import dev.jcni.spec.Dns;
import dev.jcni.spec.IpConfig;
import dev.jcni.spec.Result;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The built-in allocator over the node's pod range(s), persisted under dataDir/<network>. */
public final class BuiltinAddresses implements AddressSource {
    /** Plugin-specific codes (100+). */
    public static final int CODE_POOL_EXHAUSTED = 110, CODE_STORE = 111;

    private final PluginConfig cfg;

    BuiltinAddresses(PluginConfig cfg) { this.cfg = cfg; }

    private Allocator allocator() {
        try {
            DiskReservationStore store = DiskReservationStore.forNetwork(cfg.dataDir(), cfg.network());
            return new Allocator(store, cfg.podCidrs().stream().map(PoolRange::of).toList());
        } catch (StoreException e) {
            throw storeFailure(e);
        }
    }

    @Override
    public Lease allocate(CniRequest req) {
        try {
            List<PodAddress> out = allocator().allocate(key(req)).stream().map(BuiltinAddresses::toPod).toList();
            return new Lease(out, List.of(), Dns.EMPTY);
        } catch (PoolExhaustedException e) {
            throw CniException.pluginSpecific(CODE_POOL_EXHAUSTED, "no free address in " + e.range().prefix(), e.getMessage());
        } catch (StoreException e) {
            throw storeFailure(e);
        }
    }

    @Override
    public void release(CniRequest req) {
        try {
            allocator().release(key(req));
        } catch (StoreException e) {
            throw storeFailure(e);
        }
    }

    @Override
    public void check(CniRequest req, Result prev) {
        List<Allocation> held = allocator().find(key(req));
        Set<IpNet> reserved = held.stream().map(a -> IpNet.parse(a.cidr())).collect(Collectors.toSet());
        for (IpConfig ip : prev.ips()) {
            IpNet addr = IpNet.parse(ip.address());
            // Addresses outside our ranges belong to other plugins of the chain: not ours to judge.
            if (cfg.podCidrs().stream().noneMatch(p -> p.contains(addr.ip()))) continue;
            if (!reserved.contains(addr)) {
                throw CniException.pluginSpecific(120, "address " + ip.address() + " is not reserved for "
                        + key(req) + " in the IPAM store", "reserved: " + reserved);
            }
        }
    }

    @Override
    public void status(CniRequest req) {
        try {
            Files.createDirectories(cfg.networkDir());
            var probe = Files.createTempFile(cfg.networkDir(), ".status-", ".tmp");
            Files.delete(probe);
        } catch (IOException | RuntimeException e) {
            throw CniException.notReady("dataDir " + cfg.networkDir() + " is not writable: " + e.getMessage());
        }
        if (!allocator().hasRoom()) {
            throw CniException.notReady("address pool " + cfg.podCidrs() + " is exhausted");
        }
    }

    @Override
    public void gc(CniRequest req) {
        if (req.conf().validAttachments() == null) return; // no list given: nothing is known to be stale
        try {
            allocator().gc(validKeys(req.conf().validAttachments()));
        } catch (StoreException e) {
            throw storeFailure(e);
        }
    }

    static Set<ReservationKey> validKeys(List<Attachment> attachments) {
        if (attachments == null) return Set.of();
        return attachments.stream().map(a -> new ReservationKey(a.containerID(), a.ifname())).collect(Collectors.toSet());
    }

    private static ReservationKey key(CniRequest req) { return new ReservationKey(req.containerId(), req.ifname()); }

    private static PodAddress toPod(Allocation a) {
        return new PodAddress(IpNet.parse(a.cidr()), a.gateway());
    }

    private static CniException storeFailure(StoreException e) {
        return CniException.pluginSpecific(CODE_STORE, "IPAM store failure: " + e.getMessage(), String.valueOf(e.path()));
    }
}
