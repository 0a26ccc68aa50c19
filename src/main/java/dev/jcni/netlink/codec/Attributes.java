package dev.jcni.netlink.codec;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The attributes of one message or nest. Parsing is strict: an attribute whose length runs past the
 * buffer, or is shorter than its own header, raises instead of being skipped.
 */
public final class Attributes {
    private record Attr(int type, ByteBuffer value) {}

    private final List<Attr> attrs;

    private Attributes(List<Attr> attrs) { this.attrs = attrs; }

    /** Parses from the buffer's position to its limit. */
    public static Attributes parse(ByteBuffer in) {
        ByteBuffer buf = in.duplicate().order(ByteOrder.nativeOrder());
        List<Attr> out = new ArrayList<>();
        while (buf.remaining() > 0) {
            int start = buf.position();
            if (buf.remaining() < Rtnl.NLA_HDRLEN) {
                throw new NetlinkCodecException.Truncated(buf.remaining() + " bytes left where an attribute header needs 4");
            }
            int len = Short.toUnsignedInt(buf.getShort(start));
            int type = Short.toUnsignedInt(buf.getShort(start + 2)) & Rtnl.NLA_TYPE_MASK;
            if (len < Rtnl.NLA_HDRLEN) {
                throw new NetlinkCodecException.Corrupt("attribute type " + type + " has length " + len);
            }
            if (len > buf.remaining()) {
                throw new NetlinkCodecException.Truncated(
                        "attribute type " + type + " claims " + len + " bytes, " + buf.remaining() + " present");
            }
            ByteBuffer value = buf.slice(start + Rtnl.NLA_HDRLEN, len - Rtnl.NLA_HDRLEN).order(ByteOrder.nativeOrder());
            out.add(new Attr(type, value));
            buf.position(Math.min(buf.limit(), start + Rtnl.align(len)));
        }
        return new Attributes(out);
    }

    /** Parses the attributes that follow a fixed-size family header in a message body. */
    public static Attributes after(ByteBuffer body, int headerLen) {
        if (body.remaining() < headerLen) {
            throw new NetlinkCodecException.Truncated("body of " + body.remaining() + " bytes, header needs " + headerLen);
        }
        ByteBuffer rest = body.duplicate().order(ByteOrder.nativeOrder());
        rest.position(rest.position() + headerLen);
        return parse(rest);
    }

    public boolean has(int type) { return find(type).isPresent(); }

    public Optional<ByteBuffer> find(int type) {
        for (Attr a : attrs) if (a.type == type) return Optional.of(a.value.duplicate().order(ByteOrder.nativeOrder()));
        return Optional.empty();
    }

    public List<ByteBuffer> all(int type) {
        List<ByteBuffer> out = new ArrayList<>();
        for (Attr a : attrs) if (a.type == type) out.add(a.value.duplicate().order(ByteOrder.nativeOrder()));
        return out;
    }

    public List<Integer> types() { return attrs.stream().map(Attr::type).toList(); }

    public Optional<Attributes> nested(int type) { return find(type).map(Attributes::parse); }

    public Optional<Integer> u8(int type) { return find(type).map(b -> Byte.toUnsignedInt(sized(b, 1, type).get(0))); }

    public Optional<Integer> u16(int type) { return find(type).map(b -> Short.toUnsignedInt(sized(b, 2, type).getShort(0))); }

    public Optional<Integer> u16be(int type) {
        return find(type).map(b -> Short.toUnsignedInt(sized(b, 2, type).order(ByteOrder.BIG_ENDIAN).getShort(0)));
    }

    public Optional<Integer> u32(int type) { return find(type).map(b -> sized(b, 4, type).getInt(0)); }

    public Optional<byte[]> bytes(int type) {
        return find(type).map(b -> { byte[] out = new byte[b.remaining()]; b.get(out); return out; });
    }

    /** A string attribute, without its trailing NUL. */
    public Optional<String> string(int type) {
        return bytes(type).map(b -> {
            int n = b.length;
            while (n > 0 && b[n - 1] == 0) n--;
            return new String(b, 0, n, StandardCharsets.UTF_8);
        });
    }

    public Optional<InetAddress> address(int type) {
        return bytes(type).map(b -> {
            if (b.length != 4 && b.length != 16) {
                throw new NetlinkCodecException.Corrupt("address attribute type " + type + " of " + b.length + " bytes");
            }
            try { return InetAddress.getByAddress(b); } catch (UnknownHostException e) { throw new IllegalStateException(e); }
        });
    }

    private static ByteBuffer sized(ByteBuffer b, int need, int type) {
        if (b.remaining() < need) {
            throw new NetlinkCodecException.Truncated("attribute type " + type + " has " + b.remaining() + " bytes, needs " + need);
        }
        return b;
    }
}
