package dev.jcni.netlink;

import java.nio.file.Path;

/**
 * The iproute2-shaped facade: {@code links()}, {@code addrs()}, {@code routes()}, {@code neighs()}, over
 * one rtnetlink socket. A handle works on the namespace its socket was opened in, from any thread.
 */
public final class Netlink implements AutoCloseable {
    private final NetlinkSocket sock;
    private final Path nsPath;
    private final LinkOps links;
    private final AddrOps addrs;
    private final RouteOps routes;
    private final NeighOps neighs;

    private Netlink(NetlinkSocket sock, Path nsPath) {
        this.sock = sock;
        this.nsPath = nsPath;
        this.links = new LinkOps(sock);
        this.addrs = new AddrOps(sock, links);
        this.routes = new RouteOps(sock);
        this.neighs = new NeighOps(sock);
    }

    /** A handle on the calling thread's namespace. */
    public static Netlink open() { return new Netlink(NetlinkSocket.open(), null); }

    /** A handle on the namespace at {@code nsPath} (like vishvananda's {@code NewHandleAt}). */
    public static Netlink openIn(Path nsPath) { return new Netlink(NetNs.socketIn(nsPath), nsPath); }

    public LinkOps links() { return links; }
    public AddrOps addrs() { return addrs; }
    public RouteOps routes() { return routes; }
    public NeighOps neighs() { return neighs; }

    /**
     * {@code sysctl -w KEY=VALUE} in the namespace this handle works on. /proc/sys follows the calling
     * thread's namespace, not the socket's, so a handle opened in another namespace must switch to it:
     * writing through {@link Sysctl} directly from here would change the caller's namespace instead.
     */
    public void sysctl(String key, String value) {
        if (nsPath == null) Sysctl.write(key, value);
        else Sysctl.writeIn(nsPath, key, value);
    }

    @Override
    public void close() { sock.close(); }
}
