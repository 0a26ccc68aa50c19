package dev.jcni.netlink;

/** The caller lacks CAP_NET_ADMIN or the like (EPERM, EACCES). */
public final class NotPermittedException extends NetlinkException {
    public NotPermittedException(int errno, String operation, String object, String kernelMessage) {
        super(errno, operation, object, kernelMessage);
    }
}
