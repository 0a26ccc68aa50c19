package dev.jcni.netlink;

/**
 * A kernel refusal, typed for the cases callers branch on. Each carries the operation, the object it
 * was about (a link name, a route, a namespace path) and the kernel's extended-ack text when it sent one.
 */
public abstract sealed class NetlinkException extends RuntimeException
        permits NotFoundException, AlreadyExistsException, NotPermittedException,
                NoSuchNamespaceException, KernelException, DumpInterruptedException {

    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EACCES = 13, EEXIST = 17, ENODEV = 19,
            EADDRNOTAVAIL = 99;

    private final int errno;
    private final String operation;
    private final String object;
    private final String kernelMessage;

    NetlinkException(int errno, String operation, String object, String kernelMessage) {
        super(describe(errno, operation, object, kernelMessage));
        this.errno = errno;
        this.operation = operation;
        this.object = object;
        this.kernelMessage = kernelMessage;
    }

    public int errno() { return errno; }
    public String operation() { return operation; }
    public String object() { return object; }
    public String kernelMessage() { return kernelMessage; }

    /** Maps an errno to its typed exception. */
    public static NetlinkException of(int errno, String operation, String object, String kernelMessage) {
        return switch (errno) {
            case ENODEV, ENOENT, ESRCH, EADDRNOTAVAIL -> new NotFoundException(errno, operation, object, kernelMessage);
            case EEXIST -> new AlreadyExistsException(errno, operation, object, kernelMessage);
            case EPERM, EACCES -> new NotPermittedException(errno, operation, object, kernelMessage);
            default -> new KernelException(errno, operation, object, kernelMessage);
        };
    }

    private static String describe(int errno, String op, String object, String kmsg) {
        StringBuilder sb = new StringBuilder(op);
        if (object != null && !object.isEmpty()) sb.append(' ').append(object);
        sb.append(": ").append(dev.jcni.sys.Libc.strerror(errno));
        if (kmsg != null && !kmsg.isEmpty()) sb.append(" (kernel: ").append(kmsg).append(')');
        return sb.toString();
    }
}
