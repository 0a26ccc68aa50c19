package dev.jcni.netlink;

import dev.jcni.netlink.codec.AckError;
import dev.jcni.netlink.codec.Message;
import dev.jcni.netlink.codec.MessageParser;
import dev.jcni.netlink.codec.MessageWriter;
import dev.jcni.netlink.codec.NetlinkCodecException;
import dev.jcni.netlink.codec.Rtnl;
import dev.jcni.sys.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * A NETLINK_ROUTE socket. It belongs to the network namespace of the thread that opened it, for its
 * whole life, which is how jcni works on a pod's namespace without keeping a thread inside it.
 * Not thread-safe: one request at a time.
 */
public final class NetlinkSocket implements AutoCloseable {
    private static final int RECV_BUF = 1 << 16;

    private final int fd;
    private final int portId;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment rx = arena.allocate(RECV_BUF, 8);
    private final MemorySegment tx = arena.allocate(RECV_BUF, 8);
    private int seq = (int) (System.nanoTime() & 0x7fffffff);
    private boolean closed;

    private NetlinkSocket(int fd, int portId) {
        this.fd = fd;
        this.portId = portId;
    }

    /** Opens a socket in the calling thread's network namespace. */
    public static NetlinkSocket open() {
        int fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, 0);
        try (Arena a = Arena.ofConfined()) {
            Libc.setsockoptInt(fd, Libc.SOL_NETLINK, Rtnl.NETLINK_EXT_ACK, 1);
            Libc.setsockoptInt(fd, Libc.SOL_NETLINK, Rtnl.NETLINK_GET_STRICT_CHK, 1);
            Libc.setsockoptInt(fd, Libc.SOL_NETLINK, Rtnl.NETLINK_CAP_ACK, 1);
            MemorySegment sa = a.allocate(12, 4); // struct sockaddr_nl, pid 0 = kernel assigns
            sa.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_NETLINK);
            Libc.bind(fd, sa);
            Libc.getsockname(fd, sa);
            return new NetlinkSocket(fd, sa.get(ValueLayout.JAVA_INT, 4));
        } catch (RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    public int portId() { return portId; }

    /** Sends a request with NLM_F_ACK and waits for the ACK; a kernel error becomes a typed exception. */
    public void execute(MessageWriter request, String operation, String object) {
        transact(request, false, operation, object);
    }

    /** Sends a dump request and collects every reply until NLMSG_DONE. */
    public List<Message> dump(MessageWriter request, String operation) {
        return transact(request, true, operation, null);
    }

    /** Sends a request that answers with data (e.g. RTM_GETLINK by name, RTM_GETROUTE lookup). */
    public List<Message> query(MessageWriter request, String operation, String object) {
        return transact(request, false, operation, object);
    }

    private List<Message> transact(MessageWriter request, boolean dump, String operation, String object) {
        int mySeq = ++seq;
        byte[] msg = request.build(mySeq, 0);
        if (msg.length > RECV_BUF) throw new IllegalArgumentException("request of " + msg.length + " bytes");
        MemorySegment.copy(msg, 0, tx, ValueLayout.JAVA_BYTE, 0, msg.length);
        Libc.send(fd, tx, msg.length);
        List<Message> replies = new ArrayList<>();
        boolean interrupted = false;
        while (true) {
            int n = (int) Libc.recv(fd, rx, RECV_BUF, 0);
            byte[] datagram = new byte[n]; // parsed messages are views on it, so never reuse it
            MemorySegment.copy(rx, ValueLayout.JAVA_BYTE, 0, datagram, 0, n);
            for (Message m : MessageParser.parse(datagram, n)) {
                if (m.seq() != mySeq) continue; // a late reply to an abandoned request
                if (m.portId() != portId && m.portId() != 0) {
                    throw new NetlinkCodecException.Corrupt("reply for port " + m.portId() + ", ours is " + portId);
                }
                interrupted |= m.dumpInterrupted();
                switch (m.type()) {
                    case Rtnl.NLMSG_ERROR -> {
                        AckError e = AckError.parse(m);
                        if (!e.isAck()) throw NetlinkException.of(e.errno(), operation, object, e.extAckMessage());
                        return replies;
                    }
                    case Rtnl.NLMSG_DONE -> {
                        // A dump that failed partway reports its errno in DONE's body.
                        if (m.body().remaining() >= 4 && m.view().getInt(0) < 0) {
                            throw NetlinkException.of(-m.view().getInt(0), operation, object, null);
                        }
                        if (interrupted) throw new DumpInterruptedException(operation);
                        return replies;
                    }
                    case Rtnl.NLMSG_NOOP -> { }
                    default -> {
                        replies.add(m);
                        if (!dump && !m.isMulti() && (request.flags() & Rtnl.NLM_F_ACK) == 0) return replies;
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        Libc.close(fd);
        arena.close();
    }
}
