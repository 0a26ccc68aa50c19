package dev.jcni.netlink.codec;

/** Input that is not a well-formed netlink stream. Never swallowed: a partial parse is worse than none. */
public sealed class NetlinkCodecException extends RuntimeException
        permits NetlinkCodecException.Truncated, NetlinkCodecException.Corrupt {

    NetlinkCodecException(String message) { super(message); }

    /** The input ends before a length field says it should. */
    public static final class Truncated extends NetlinkCodecException {
        public Truncated(String message) { super("truncated netlink input: " + message); }
    }

    /** A length or field that can never be valid. */
    public static final class Corrupt extends NetlinkCodecException {
        public Corrupt(String message) { super("corrupt netlink input: " + message); }
    }
}
