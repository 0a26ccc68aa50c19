package dev.jcni.netlink;

/** The object exists already (EEXIST). */
public final class AlreadyExistsException extends NetlinkException {
    public AlreadyExistsException(int errno, String operation, String object, String kernelMessage) {
        super(errno, operation, object, kernelMessage);
    }
}
