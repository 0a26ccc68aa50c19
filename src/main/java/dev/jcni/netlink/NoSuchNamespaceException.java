package dev.jcni.netlink;

/** The network namespace path does not exist or is not a namespace. */
public final class NoSuchNamespaceException extends NetlinkException {
    public NoSuchNamespaceException(int errno, String path) {
        super(errno, "open netns", path, null);
    }
}
