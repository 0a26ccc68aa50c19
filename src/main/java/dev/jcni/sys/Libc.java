package dev.jcni.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The handful of libc calls jcni needs, bound once through the FFM API.
 * Every call captures errno atomically with the call, so a failure is reported with the real cause.
 */
public final class Libc {
    public static final int AF_NETLINK = 16;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_NETLINK = 270;
    public static final int CLONE_NEWNET = 0x40000000;
    public static final int O_RDONLY = 0;
    public static final int O_CLOEXEC = 0x80000;
    public static final int MS_BIND = 4096;
    public static final int MS_REC = 16384;
    public static final int MS_SHARED = 1 << 20;
    public static final int MNT_DETACH = 2;
    public static final int EINTR = 4;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle SOCKET = bind("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = bind("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKNAME = bind("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SETSOCKOPT = bind("setsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SEND = bind("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle RECV = bind("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle OPEN = bind("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SETNS = bind("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle UNSHARE = bind("unshare", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle MOUNT = bind("mount", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    private static final MethodHandle UMOUNT2 = bind("umount2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle EXECVE = bind("execve", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LIBC.find("strerror").orElseThrow(), FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Libc() {}

    private static MethodHandle bind(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), fd, Linker.Option.captureCallState("errno"));
    }

    /** Per-call scratch: errno capture state plus any temporary C strings. */
    private static final class Call implements AutoCloseable {
        final Arena arena = Arena.ofConfined();
        final MemorySegment state = arena.allocate(CAPTURE);

        int errno() { return (int) ERRNO.get(state, 0L); }
        MemorySegment cstr(String s) { return s == null ? MemorySegment.NULL : arena.allocateFrom(s); }
        @Override public void close() { arena.close(); }
    }

    public static int socket(int domain, int type, int protocol) {
        try (Call c = new Call()) {
            int r = (int) SOCKET.invokeExact(c.state, domain, type, protocol);
            return check(r, c, "socket");
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static void bind(int fd, MemorySegment addr) {
        try (Call c = new Call()) {
            int r = (int) BIND.invokeExact(c.state, fd, addr, (int) addr.byteSize());
            check(r, c, "bind");
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static void getsockname(int fd, MemorySegment addr) {
        try (Call c = new Call()) {
            MemorySegment len = c.arena.allocateFrom(JAVA_INT, (int) addr.byteSize());
            int r = (int) GETSOCKNAME.invokeExact(c.state, fd, addr, len);
            check(r, c, "getsockname");
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static void setsockoptInt(int fd, int level, int name, int value) {
        try (Call c = new Call()) {
            MemorySegment v = c.arena.allocateFrom(JAVA_INT, value);
            int r = (int) SETSOCKOPT.invokeExact(c.state, fd, level, name, v, 4);
            check(r, c, "setsockopt");
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static long send(int fd, MemorySegment buf, long len) {
        try (Call c = new Call()) {
            while (true) {
                long r = (long) SEND.invokeExact(c.state, fd, buf, len, 0);
                if (r < 0 && c.errno() == EINTR) continue;
                if (r < 0) throw new ErrnoException("send", c.errno());
                return r;
            }
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static long recv(int fd, MemorySegment buf, long len, int flags) {
        try (Call c = new Call()) {
            while (true) {
                long r = (long) RECV.invokeExact(c.state, fd, buf, len, flags);
                if (r < 0 && c.errno() == EINTR) continue;
                if (r < 0) throw new ErrnoException("recv", c.errno());
                return r;
            }
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static void close(int fd) {
        try (Call c = new Call()) {
            int r = (int) CLOSE.invokeExact(c.state, fd);
            check(r, c, "close");
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static int open(String path, int flags) {
        try (Call c = new Call()) {
            int r = (int) OPEN.invokeExact(c.state, c.cstr(path), flags);
            return check(r, c, "open " + path);
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static void setns(int fd, int nstype) {
        try (Call c = new Call()) {
            int r = (int) SETNS.invokeExact(c.state, fd, nstype);
            check(r, c, "setns");
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static void unshare(int flags) {
        try (Call c = new Call()) {
            int r = (int) UNSHARE.invokeExact(c.state, flags);
            check(r, c, "unshare");
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static void mount(String source, String target, String fstype, long flags) {
        try (Call c = new Call()) {
            int r = (int) MOUNT.invokeExact(c.state, c.cstr(source), c.cstr(target), c.cstr(fstype), flags, MemorySegment.NULL);
            check(r, c, "mount " + target);
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static void umount2(String target, int flags) {
        try (Call c = new Call()) {
            int r = (int) UMOUNT2.invokeExact(c.state, c.cstr(target), flags);
            check(r, c, "umount " + target);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** Replaces the process image; returns only by throwing. Other threads end, as execve(2) says. */
    public static void execve(String path, java.util.List<String> argv, java.util.Map<String, String> env) {
        try (Call c = new Call()) {
            MemorySegment args = c.arena.allocate(ADDRESS, argv.size() + 1L);
            for (int i = 0; i < argv.size(); i++) args.setAtIndex(ADDRESS, i, c.cstr(argv.get(i)));
            args.setAtIndex(ADDRESS, argv.size(), MemorySegment.NULL);
            java.util.List<String> kv = env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
            MemorySegment envp = c.arena.allocate(ADDRESS, kv.size() + 1L);
            for (int i = 0; i < kv.size(); i++) envp.setAtIndex(ADDRESS, i, c.cstr(kv.get(i)));
            envp.setAtIndex(ADDRESS, kv.size(), MemorySegment.NULL);
            int r = (int) EXECVE.invokeExact(c.state, c.cstr(path), args, envp);
            check(r, c, "execve " + path);
            throw new IllegalStateException("execve returned");
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** The C library's text for an errno, e.g. "No such device". */
    public static String strerror(int errno) {
        try {
            MemorySegment p = (MemorySegment) STRERROR.invokeExact(errno);
            return p.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    private static int check(int r, Call c, String what) {
        if (r < 0) throw new ErrnoException(what, c.errno());
        return r;
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException re) return re;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
