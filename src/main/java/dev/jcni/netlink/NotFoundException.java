package dev.jcni.netlink;

/** The object does not exist (ENODEV, ENOENT, ESRCH, EADDRNOTAVAIL). */
public final class NotFoundException extends NetlinkException {
    public NotFoundException(int errno, String operation, String object, String kernelMessage) {
        super(errno, operation, object, kernelMessage);
    }
}
