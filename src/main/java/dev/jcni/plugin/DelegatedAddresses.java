package dev.jcni.plugin;

import dev.jcni.netlink.Inet;
import dev.jcni.netlink.IpNet;
import dev.jcni.spec.CniException;
import dev.jcni.spec.CniRequest;
import dev.jcni.spec.IpConfig;
import dev.jcni.spec.PluginInvoker;
import dev.jcni.spec.Result;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Addresses from an IPAM plugin on CNI_PATH (e.g. the reference host-local). Every verb is forwarded
 * with the same config, as the spec asks, so the delegate's own state stays in step.
 */
public final class DelegatedAddresses implements AddressSource {
    private final String type;
    private final PluginInvoker invoker = new PluginInvoker();

    DelegatedAddresses(String type) { this.type = type; }

    @Override
    public Lease allocate(CniRequest req) {
        Result r = invoker.delegateAdd(type, req, req.stdin());
        List<PodAddress> out = new ArrayList<>();
        try {
            for (IpConfig ip : r.ips()) {
                IpNet addr = IpNet.parse(ip.address());
                InetAddress gw = ip.gateway() != null ? Inet.parse(ip.gateway()) : firstHost(addr);
                out.add(new PodAddress(addr, gw));
            }
        } catch (RuntimeException e) {
            release(req);
            throw CniException.pluginSpecific(112, "IPAM plugin " + type + " returned an unusable address", e.getMessage());
        }
        if (out.isEmpty()) {
            release(req);
            throw CniException.pluginSpecific(112, "IPAM plugin " + type + " returned no address", "");
        }
        return new Lease(out, r.routes(), r.dns());
    }

    @Override
    public void release(CniRequest req) { invoker.delegateDel(type, req, req.stdin()); }

    @Override
    public void check(CniRequest req, Result prev) { invoker.delegateCheck(type, req, req.stdin()); }

    @Override
    public void status(CniRequest req) { invoker.delegateStatus(type, req, req.stdin()); }

    @Override
    public void gc(CniRequest req) { invoker.delegateGc(type, req, req.stdin()); }

    /** host-local leaves out the gateway when none is configured; the bridge then holds the first address. */
    private static InetAddress firstHost(IpNet addr) {
        byte[] b = addr.network().ip().getAddress();
        b[b.length - 1] |= 1;
        try { return InetAddress.getByAddress(b); } catch (java.net.UnknownHostException e) { throw new IllegalStateException(e); }
    }
}
