package dev.jcni.netlink.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds one netlink message: header, family struct, attributes and nested attributes.
 * Lengths are written as placeholders and patched when a nest or the message ends,
 * so callers never compute sizes by hand.
 */
public final class MessageWriter {
    private ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
    private final int type;
    private final int flags;

    public MessageWriter(int type, int flags) {
        this.type = type;
        this.flags = flags;
        buf.position(Rtnl.NLMSG_HDRLEN); // header is filled by build()
    }

    public int type() { return type; }
    public int flags() { return flags; }

    public MessageWriter u8(int v) { ensure(1); buf.put((byte) v); return this; }
    public MessageWriter u16(int v) { ensure(2); buf.putShort((short) v); return this; }
    public MessageWriter u32(int v) { ensure(4); buf.putInt(v); return this; }
    public MessageWriter bytes(byte[] b) { ensure(b.length); buf.put(b); return this; }

    /** struct ifinfomsg */
    public MessageWriter ifinfomsg(int family, int ifType, int index, int ifFlags, int change) {
        return u8(family).u8(0).u16(ifType).u32(index).u32(ifFlags).u32(change);
    }

    /** struct ifaddrmsg */
    public MessageWriter ifaddrmsg(int family, int prefixLen, int ifaFlags, int scope, int index) {
        return u8(family).u8(prefixLen).u8(ifaFlags).u8(scope).u32(index);
    }

    /** struct rtmsg */
    public MessageWriter rtmsg(int family, int dstLen, int srcLen, int tos, int table, int protocol,
                               int scope, int rtType, int rtFlags) {
        return u8(family).u8(dstLen).u8(srcLen).u8(tos).u8(table).u8(protocol).u8(scope).u8(rtType).u32(rtFlags);
    }

    /** struct ndmsg */
    public MessageWriter ndmsg(int family, int ifindex, int state, int ndFlags, int ndType) {
        return u8(family).u8(0).u16(0).u32(ifindex).u16(state).u8(ndFlags).u8(ndType);
    }

    public MessageWriter attr(int attrType, byte[] value) {
        int len = Rtnl.NLA_HDRLEN + value.length;
        ensure(Rtnl.align(len));
        buf.putShort((short) len).putShort((short) attrType).put(value);
        pad();
        return this;
    }

    public MessageWriter attrU8(int attrType, int v) { return attr(attrType, new byte[]{(byte) v}); }

    public MessageWriter attrU16(int attrType, int v) {
        return attr(attrType, ByteBuffer.allocate(2).order(ByteOrder.nativeOrder()).putShort((short) v).array());
    }

    /** A u16 in network byte order, e.g. IFLA_VXLAN_PORT. */
    public MessageWriter attrU16Be(int attrType, int v) {
        return attr(attrType, ByteBuffer.allocate(2).order(ByteOrder.BIG_ENDIAN).putShort((short) v).array());
    }

    public MessageWriter attrU32(int attrType, int v) {
        return attr(attrType, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array());
    }

    /** A NUL-terminated string, as the kernel expects for names. */
    public MessageWriter attrString(int attrType, String s) {
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        return attr(attrType, Arrays.copyOf(raw, raw.length + 1));
    }

    /** Opens a nested attribute; returns the mark that {@link #endNested} patches. */
    public int beginNested(int attrType) {
        ensure(Rtnl.NLA_HDRLEN);
        int mark = buf.position();
        buf.putShort((short) 0).putShort((short) (attrType | Rtnl.NLA_F_NESTED));
        return mark;
    }

    /** Opens a nested attribute without NLA_F_NESTED, for the few places the kernel expects that (VETH_INFO_PEER). */
    public int beginPlain(int attrType) {
        ensure(Rtnl.NLA_HDRLEN);
        int mark = buf.position();
        buf.putShort((short) 0).putShort((short) attrType);
        return mark;
    }

    public MessageWriter endNested(int mark) {
        buf.putShort(mark, (short) (buf.position() - mark));
        pad();
        return this;
    }

    /** Patches the header and returns the finished message. */
    public byte[] build(int seq, int portId) {
        int len = buf.position();
        buf.putInt(0, len).putShort(4, (short) type).putShort(6, (short) flags).putInt(8, seq).putInt(12, portId);
        return Arrays.copyOf(buf.array(), len);
    }

    private void pad() {
        int aligned = Rtnl.align(buf.position());
        ensure(aligned - buf.position());
        while (buf.position() < aligned) buf.put((byte) 0);
    }

    private void ensure(int more) {
        if (buf.remaining() >= more) return;
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + more))
                .order(ByteOrder.nativeOrder());
        bigger.put(buf.array(), 0, buf.position());
        buf = bigger;
    }
}
