package dev.jcni.netlink.codec;

import java.nio.ByteBuffer;

/** One received netlink message; {@code body} holds exactly the bytes after the 16-byte header. */
public record Message(int type, int flags, int seq, int portId, ByteBuffer body) {

    public boolean isMulti() { return (flags & Rtnl.NLM_F_MULTI) != 0; }

    public boolean dumpInterrupted() { return (flags & Rtnl.NLM_F_DUMP_INTR) != 0; }

    /** A fresh view of the body, positioned at its start. */
    public ByteBuffer view() { return body.duplicate().order(body.order()); }
}
