package dev.jcni.plugin;

import dev.jcni.spec.CniRequest;
import dev.jcni.spec.Result;

/** Where a pod's addresses come from: the built-in allocator, or a delegated IPAM plugin. */
public sealed interface AddressSource permits BuiltinAddresses, DelegatedAddresses {

    static AddressSource of(PluginConfig cfg) {
        return cfg.ipam() == null ? new BuiltinAddresses(cfg) : new DelegatedAddresses(String.valueOf(cfg.ipam().get("type")));
    }

    Lease allocate(CniRequest req);

    /** Idempotent: releasing what is not held is success. */
    void release(CniRequest req);

    /** Throws a CniException naming what is wrong. */
    void check(CniRequest req, Result prev);

    void status(CniRequest req);

    void gc(CniRequest req);
}
