package dev.jcni.netlink;

/** Any other kernel error. */
public final class KernelException extends NetlinkException {
    public KernelException(int errno, String operation, String object, String kernelMessage) {
        super(errno, operation, object, kernelMessage);
    }
}
