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
 * The handful of libc calls jcni needs, bound through the FFM API on first use, each in a holder
 * class: linking a downcall costs milliseconds, and the plugin, started once per pod, needs only some.
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

    private static final class SocketH { static final MethodHandle MH = bind("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT)); }
    private static final class BindH { static final MethodHandle MH = bind("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT)); }
    private static final class GetsocknameH { static final MethodHandle MH = bind("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS)); }
    private static final class SetsockoptH { static final MethodHandle MH = bind("setsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT)); }
    private static final class SendH { static final MethodHandle MH = bind("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT)); }
    private static final class RecvH { static final MethodHandle MH = bind("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT)); }
    private static final class CloseH { static final MethodHandle MH = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT)); }
    private static final class OpenH { static final MethodHandle MH = bind("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT)); }
    private static final class SetnsH { static final MethodHandle MH = bind("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT)); }
    private static final class UnshareH { static final MethodHandle MH = bind("unshare", FunctionDescriptor.of(JAVA_INT, JAVA_INT)); }
    private static final class MountH { static final MethodHandle MH = bind("mount", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS)); }
    private static final class Umount2H { static final MethodHandle MH = bind("umount2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT)); }
    private static final class ExecveH { static final MethodHandle MH = bind("execve", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS)); }
    private static final class CloseRangeH { static final MethodHandle MH = bind("close_range", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT)); }
    private static final class StrerrorH { static final MethodHandle MH = LINKER.downcallHandle( LIBC.find("strerror").orElseThrow(), FunctionDescriptor.of(ADDRESS, JAVA_INT)); }

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
            int r = (int) SocketH.MH.invokeExact(c.state, domain, type, protocol);
            return check(r, c, "socket");
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static void bind(int fd, MemorySegment addr) {
        try (Call c = new Call()) {
            int r = (int) BindH.MH.invokeExact(c.state, fd, addr, (int) addr.byteSize());
            check(r, c, "bind");
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static void getsockname(int fd, MemorySegment addr) {
        try (Call c = new Call()) {
            MemorySegment len = c.arena.allocateFrom(JAVA_INT, (int) addr.byteSize());
            int r = (int) GetsocknameH.MH.invokeExact(c.state, fd, addr, len);
            check(r, c, "getsockname");
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static void setsockoptInt(int fd, int level, int name, int value) {
        try (Call c = new Call()) {
            MemorySegment v = c.arena.allocateFrom(JAVA_INT, value);
            int r = (int) SetsockoptH.MH.invokeExact(c.state, fd, level, name, v, 4);
            check(r, c, "setsockopt");
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static long send(int fd, MemorySegment buf, long len) {
        try (Call c = new Call()) {
            while (true) {
                long r = (long) SendH.MH.invokeExact(c.state, fd, buf, len, 0);
                if (r < 0 && c.errno() == EINTR) continue;
                if (r < 0) throw new ErrnoException("send", c.errno());
                return r;
            }
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static long recv(int fd, MemorySegment buf, long len, int flags) {
        try (Call c = new Call()) {
            while (true) {
                long r = (long) RecvH.MH.invokeExact(c.state, fd, buf, len, flags);
                if (r < 0 && c.errno() == EINTR) continue;
                if (r < 0) throw new ErrnoException("recv", c.errno());
                return r;
            }
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static void close(int fd) {
        try (Call c = new Call()) {
            int r = (int) CloseH.MH.invokeExact(c.state, fd);
            check(r, c, "close");
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static int open(String path, int flags) {
        try (Call c = new Call()) {
            int r = (int) OpenH.MH.invokeExact(c.state, c.cstr(path), flags);
            return check(r, c, "open " + path);
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static void setns(int fd, int nstype) {
        try (Call c = new Call()) {
            int r = (int) SetnsH.MH.invokeExact(c.state, fd, nstype);
            check(r, c, "setns");
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static void unshare(int flags) {
        try (Call c = new Call()) {
            int r = (int) UnshareH.MH.invokeExact(c.state, flags);
            check(r, c, "unshare");
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static void mount(String source, String target, String fstype, long flags) {
        try (Call c = new Call()) {
            int r = (int) MountH.MH.invokeExact(c.state, c.cstr(source), c.cstr(target), c.cstr(fstype), flags, MemorySegment.NULL);
            check(r, c, "mount " + target);
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static void umount2(String target, int flags) {
        try (Call c = new Call()) {
            int r = (int) Umount2H.MH.invokeExact(c.state, c.cstr(target), flags);
            check(r, c, "umount " + target);
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static final int CLOSE_RANGE_CLOEXEC = 4;

    /** close_range(2): with CLOSE_RANGE_CLOEXEC, marks the fds to close at the next execve. */
    public static void closeRange(int first, int last, int flags) {
        try (Call c = new Call()) {
            int r = (int) CloseRangeH.MH.invokeExact(c.state, first, last, flags);
            check(r, c, "close_range");
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
            int r = (int) ExecveH.MH.invokeExact(c.state, c.cstr(path), args, envp);
            check(r, c, "execve " + path);
            throw new IllegalStateException("execve returned");
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** The C library's text for an errno, e.g. "No such device". */
    public static String strerror(int errno) {
        try {
            MemorySegment p = (MemorySegment) StrerrorH.MH.invokeExact(errno);
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
