package dev.jcni.netlink.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The payload of NLMSG_ERROR: errno 0 is an ACK. With NETLINK_EXT_ACK the kernel appends TLVs after
 * the echoed request (whole, or just its header when NLM_F_CAPPED), carrying a human message.
 */
public record AckError(int errno, int requestType, int requestSeq, String extAckMessage, int extAckOffset) {

    public boolean isAck() { return errno == 0; }

    public static AckError parse(Message m) {
        ByteBuffer b = m.view();
        if (b.remaining() < 4 + Rtnl.NLMSG_HDRLEN) {
            throw new NetlinkCodecException.Truncated("NLMSG_ERROR body of " + b.remaining() + " bytes, needs 20");
        }
        int error = b.getInt(0);
        int echoedLen = b.getInt(4);
        int reqType = Short.toUnsignedInt(b.getShort(8));
        int reqSeq = b.getInt(12);
        String msg = null;
        int offs = -1;
        if ((m.flags() & Rtnl.NLM_F_ACK_TLVS) != 0) {
            boolean capped = (m.flags() & Rtnl.NLM_F_CAPPED) != 0;
            if (!capped && echoedLen < Rtnl.NLMSG_HDRLEN) throw new NetlinkCodecException.Corrupt("echoed request of " + echoedLen + " bytes");
            int tlvStart = 4 + (capped ? Rtnl.NLMSG_HDRLEN : Rtnl.align(Math.min(echoedLen, b.remaining())));
            if (tlvStart > b.remaining()) {
                throw new NetlinkCodecException.Truncated("extended ack starts at " + tlvStart + " past " + b.remaining());
            }
            ByteBuffer tlvs = b.duplicate().order(ByteOrder.nativeOrder());
            tlvs.position(tlvStart);
            Attributes a = Attributes.parse(tlvs);
            msg = a.string(Rtnl.NLMSGERR_ATTR_MSG).orElse(null);
            offs = a.u32(Rtnl.NLMSGERR_ATTR_OFFS).orElse(-1);
        }
        return new AckError(-error, reqType, reqSeq, msg, offs);
    }
}
