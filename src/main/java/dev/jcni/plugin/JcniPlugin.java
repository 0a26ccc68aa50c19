package dev.jcni.plugin;

import dev.jcni.netlink.Link;
import dev.jcni.netlink.Netlink;
import dev.jcni.netlink.NoSuchNamespaceException;
import dev.jcni.netlink.NotFoundException;
import dev.jcni.spec.CniException;
import dev.jcni.spec.CniRequest;
import dev.jcni.spec.Plugin;
import dev.jcni.spec.Result;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The jcni CNI plugin: one method per verb, each built from idempotent steps. ADD registers every
 * resource on an {@link Undo} stack before the next step runs, so a failure anywhere leaves nothing.
 */
public final class JcniPlugin implements Plugin {
    /** Plugin-specific error codes. */
    public static final int CODE_IFNAME_EXISTS = 101, CODE_CHECK_FAILED = 102, CODE_KERNEL = 103;

    private final PrintStream stderr;

    public JcniPlugin(PrintStream stderr) { this.stderr = stderr; }

    private PluginLog log(CniRequest req, PluginConfig cfg) {
        PluginLog log = new PluginLog(stderr, req.command() + " " + (req.containerId() == null ? "-" : req.containerId()));
        if (cfg.logFile() != null) log.toFile(cfg.logFile());
        return log;
    }

    @Override
    public Result add(CniRequest req) {
        PluginConfig cfg = PluginConfig.from(req.conf());
        PluginLog log = log(req, cfg);
        Faults faults = new Faults(req.env());
        PhaseTimer timer = new PhaseTimer(req.env(), stderr);
        Path podNs = Path.of(req.netns());
        try (Netlink host = Netlink.open(); Netlink pod = openPod(podNs); Undo undo = new Undo(log)) {
            timer.mark("netlink-open");
            if (pod.links().find(req.ifname()).isPresent()) {
                throw CniException.pluginSpecific(CODE_IFNAME_EXISTS,
                        "interface " + req.ifname() + " already exists in " + req.netns(), "nothing was changed");
            }
            int mtu = cfg.mtu() != null ? cfg.mtu() : NodeMtu.of(host);

            AddressSource addresses = AddressSource.of(cfg);
            Lease lease = addresses.allocate(req);
            undo.push("address reservation", () -> addresses.release(req));
            timer.mark("ipam");
            faults.checkpoint("ipam");

            String hostVeth = InterfaceNames.hostVeth(req.containerId(), req.ifname());
            BridgeSetup bridges = new BridgeSetup(host);
            VethSetup veths = new VethSetup(host);
            Link bridge;
            Link hostLink;
            try (NodeLock lock = NodeLock.acquire(cfg.dataDir(), cfg.bridge())) {
                BridgeSetup.Ensured ensured = bridges.ensure(cfg.bridge(), lease.addresses(), mtu);
                if (ensured.created()) {
                    undo.push("bridge " + cfg.bridge(), () -> {
                        try (NodeLock l = NodeLock.acquire(cfg.dataDir(), cfg.bridge())) { bridges.removeIfUnused(cfg.bridge()); }
                    });
                }
                timer.mark("bridge");
                faults.checkpoint("bridge");
                veths.create(hostVeth, req.ifname(), mtu, podNs);
                undo.push("veth " + hostVeth, () -> veths.deleteIfPresent(hostVeth));
                faults.checkpoint("veth");
                hostLink = veths.plugIn(hostVeth, cfg.bridge(), cfg.hairpinMode(),
                        InterfaceNames.owner(cfg.network(), req.containerId(), req.ifname()));
                bridge = host.links().get(cfg.bridge());
                faults.checkpoint("port");
                timer.mark("veth");
            }

            PodInterfaceSetup podSetup = new PodInterfaceSetup(pod);
            Link podLink = podSetup.configure(req.ifname(), lease.addresses());
            faults.checkpoint("pod-addresses");
            List<dev.jcni.spec.Route> routes = ResultBuilder.routes(lease);
            podSetup.addRoutes(podLink, routes);
            faults.checkpoint("pod-routes");
            timer.mark("pod-config");

            Result result = ResultBuilder.build(req, cfg, lease, routes, bridge, hostLink, podLink);
            faults.checkpoint("result");
            undo.commit();
            timer.mark("result");
            timer.print("ADD");
            log.info("added " + req.ifname() + " " + lease.addresses() + " host " + hostVeth + " on " + cfg.bridge());
            return result;
        } catch (IOException e) {
            throw CniException.ioFailure("ADD: " + e.getMessage(), e);
        } catch (dev.jcni.netlink.NetlinkException e) {
            throw CniException.pluginSpecific(CODE_KERNEL, "ADD: " + e.getMessage(), "netns " + req.netns());
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw CniException.pluginSpecific(CODE_KERNEL, "ADD: " + e.getMessage(), "netns " + req.netns());
        }
    }

    @Override
    public void del(CniRequest req) {
        PluginConfig cfg = PluginConfig.from(req.conf());
        PluginLog log = log(req, cfg);
        String hostVeth = InterfaceNames.hostVeth(req.containerId(), req.ifname());
        RuntimeException linkFailure = null;
        // The host end is found by name in the node's namespace, so a missing or gone netns does not matter.
        try (Netlink host = Netlink.open()) {
            new VethSetup(host).deleteIfPresent(hostVeth);
        } catch (RuntimeException e) {
            linkFailure = e;
        }
        AddressSource.of(cfg).release(req);
        if (linkFailure != null) {
            throw CniException.pluginSpecific(CODE_KERNEL, "DEL: removing " + hostVeth + ": " + linkFailure.getMessage(), "");
        }
        log.info("deleted " + hostVeth + " and released the addresses of " + req.containerId() + "/" + req.ifname());
    }

    @Override
    public void check(CniRequest req) {
        PluginConfig cfg = PluginConfig.from(req.conf());
        Result prev = req.conf().prevResult();
        if (prev == null) throw CniException.invalidConfig("prevResult", "CHECK needs the result of the ADD");
        try (Netlink host = Netlink.open(); Netlink pod = openPod(Path.of(req.netns()))) {
            new AttachmentCheck(host, pod, cfg, req).verify(prev);
        } catch (dev.jcni.netlink.NetlinkException e) {
            throw CniException.pluginSpecific(CODE_CHECK_FAILED, "CHECK: " + e.getMessage(), "");
        }
        AddressSource.of(cfg).check(req, prev);
    }

    @Override
    public void status(CniRequest req) {
        PluginConfig cfg = PluginConfig.from(req.conf());
        AddressSource.of(cfg).status(req);
    }

    @Override
    public void gc(CniRequest req) {
        PluginConfig cfg = PluginConfig.from(req.conf());
        PluginLog log = log(req, cfg);
        if (req.conf().validAttachments() == null) {
            log.warn("GC without cni.dev/valid-attachments: nothing is known to be stale, nothing removed");
            return;
        }
        Set<String> keep = new HashSet<>();
        req.conf().validAttachments().forEach(a -> keep.add(InterfaceNames.hostVeth(a.containerID(), a.ifname())));
        try (Netlink host = Netlink.open()) {
            int bridgeIndex = host.links().find(cfg.bridge()).map(Link::index).orElse(-1);
            for (Link l : host.links().list()) {
                boolean ours = l.masterIndex() == bridgeIndex && "veth".equals(l.kind())
                        && l.name().startsWith(InterfaceNames.HOST_VETH_PREFIX)
                        && l.alias() != null && l.alias().startsWith(InterfaceNames.ownerPrefix(cfg.network()));
                if (ours && !keep.contains(l.name())) {
                    try {
                        host.links().del(l.name());
                        log.info("gc: removed stale " + l.name());
                    } catch (NotFoundException gone) {
                        // raced with a DEL
                    } catch (RuntimeException e) {
                        log.warn("gc: cannot remove " + l.name() + ": " + e.getMessage()); // keep going
                    }
                }
            }
        }
        AddressSource.of(cfg).gc(req);
    }

    private static Netlink openPod(Path netns) {
        try {
            return Netlink.openIn(netns);
        } catch (NoSuchNamespaceException e) {
            throw CniException.invalidEnv("CNI_NETNS", "no network namespace at " + netns);
        } catch (dev.jcni.sys.ErrnoException e) {
            throw CniException.invalidEnv("CNI_NETNS", netns + " is not a network namespace (" + e.getMessage() + ")");
        }
    }
}
