package dev.jcni.netlink;

import dev.jcni.sys.ErrnoException;
import dev.jcni.sys.Libc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Network namespaces. {@code setns} changes only the calling OS thread, so work inside a namespace runs
 * on a dedicated platform thread made for that one call (never a virtual thread, whose carrier could
 * be shared). The caller's namespace never changes, and the worker thread is discarded afterwards,
 * so a thread whose switch back failed can never be reused in the wrong namespace.
 */
public final class NetNs {
    public static final Path RUN_NETNS = Path.of("/run/netns");

    private NetNs() {}

    /** Runs {@code work} inside the namespace at {@code nsPath} and returns its result. */
    public static <T> T run(Path nsPath, Callable<T> work) {
        int target = openFd(nsPath);
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("netns:" + nsPath.getFileName()).unstarted(() -> {
            int home = -1;
            try {
                home = Libc.open("/proc/thread-self/ns/net", Libc.O_RDONLY | Libc.O_CLOEXEC);
                Libc.setns(target, Libc.CLONE_NEWNET);
                result.set(work.call());
            } catch (Throwable e) {
                failure.set(e);
            } finally {
                // The thread ends here either way; switching back only matters to what the JVM does
                // with it before exit, so a failure is recorded but cannot leak the namespace.
                if (home >= 0) {
                    try { Libc.setns(home, Libc.CLONE_NEWNET); } catch (ErrnoException ignored) { }
                    Libc.close(home);
                }
            }
        });
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while working in " + nsPath, e);
        } finally {
            Libc.close(target);
        }
        Throwable f = failure.get();
        if (f instanceof RuntimeException re) throw re;
        if (f instanceof Error err) throw err;
        if (f != null) throw new IllegalStateException(f.getMessage(), f);
        return result.get();
    }

    public static void run(Path nsPath, Runnable work) {
        run(nsPath, () -> { work.run(); return null; });
    }

    /** An open namespace fd, e.g. for moving a link (IFLA_NET_NS_FD). */
    public static NsFd open(Path nsPath) {
        return new NsFd(openFd(nsPath), nsPath);
    }

    /** Opens a netlink socket that works on the namespace at {@code nsPath} from any thread. */
    public static NetlinkSocket socketIn(Path nsPath) {
        return run(nsPath, NetlinkSocket::open);
    }

    public static Path pathOf(String name) { return RUN_NETNS.resolve(name); }

    public static boolean exists(String name) { return Files.exists(pathOf(name)); }

    /**
     * Creates a named namespace the way {@code ip netns add} does: a new namespace pinned by a bind
     * mount at /run/netns/NAME, with /run/netns made a shared mount so other mount namespaces see it.
     */
    public static Path create(String name) {
        Path p = pathOf(name);
        try {
            Files.createDirectories(RUN_NETNS);
            makeSharedMount();
            Files.createFile(p);
        } catch (IOException e) {
            throw new IllegalStateException("create netns " + name + ": " + e, e);
        }
        try {
            Thread t = Thread.ofPlatform().name("netns-create").unstarted(() -> {
                Libc.unshare(Libc.CLONE_NEWNET);
                Libc.mount("/proc/thread-self/ns/net", p.toString(), "none", Libc.MS_BIND);
            });
            AtomicReference<Throwable> failure = new AtomicReference<>();
            t.setUncaughtExceptionHandler((th, e) -> failure.set(e));
            t.start();
            t.join();
            if (failure.get() != null) throw new IllegalStateException("create netns " + name + ": " + failure.get().getMessage(), failure.get());
            return p;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            try { Files.deleteIfExists(p); } catch (IOException ignored) { }
            throw e;
        }
    }

    /** Removes a named namespace; a missing one is fine. The namespace itself dies with its last user. */
    public static void delete(String name) {
        Path p = pathOf(name);
        if (!Files.exists(p)) return;
        try {
            Libc.umount2(p.toString(), Libc.MNT_DETACH);
        } catch (ErrnoException e) {
            if (e.errno() != 22) throw e; // EINVAL: not mounted, e.g. a half-made one
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new IllegalStateException("delete netns " + name + ": " + e, e);
        }
    }

    private static void makeSharedMount() {
        try {
            Libc.mount("none", RUN_NETNS.toString(), null, Libc.MS_SHARED | Libc.MS_REC);
        } catch (ErrnoException e) {
            if (e.errno() != 22) throw e; // EINVAL: not a mount point yet, so make it one
            Libc.mount(RUN_NETNS.toString(), RUN_NETNS.toString(), "none", Libc.MS_BIND | Libc.MS_REC);
            Libc.mount("none", RUN_NETNS.toString(), null, Libc.MS_SHARED | Libc.MS_REC);
        }
    }

    static int openFd(Path nsPath) {
        try {
            return Libc.open(nsPath.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC);
        } catch (ErrnoException e) {
            throw new NoSuchNamespaceException(e.errno(), nsPath.toString());
        }
    }
}
