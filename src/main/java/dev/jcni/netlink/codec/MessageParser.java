package dev.jcni.netlink.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Splits a received datagram into messages, checking every length against what is really there. */
public final class MessageParser {
    private MessageParser() {}

    public static List<Message> parse(byte[] data, int length) {
        ByteBuffer buf = ByteBuffer.wrap(data, 0, length).order(ByteOrder.nativeOrder());
        List<Message> out = new ArrayList<>();
        while (buf.remaining() > 0) {
            int start = buf.position();
            if (buf.remaining() < Rtnl.NLMSG_HDRLEN) {
                throw new NetlinkCodecException.Truncated(
                        buf.remaining() + " bytes left at offset " + start + ", a header needs 16");
            }
            int len = buf.getInt(start);
            if (len < Rtnl.NLMSG_HDRLEN) {
                throw new NetlinkCodecException.Corrupt("message length " + len + " at offset " + start);
            }
            if (len > buf.remaining()) {
                throw new NetlinkCodecException.Truncated(
                        "message at offset " + start + " claims " + len + " bytes, " + buf.remaining() + " present");
            }
            int type = Short.toUnsignedInt(buf.getShort(start + 4));
            int flags = Short.toUnsignedInt(buf.getShort(start + 6));
            int seq = buf.getInt(start + 8);
            int pid = buf.getInt(start + 12);
            ByteBuffer body = buf.slice(start + Rtnl.NLMSG_HDRLEN, len - Rtnl.NLMSG_HDRLEN).order(ByteOrder.nativeOrder());
            out.add(new Message(type, flags, seq, pid, body));
            buf.position(Math.min(length, start + Rtnl.align(len)));
        }
        return out;
    }
}
