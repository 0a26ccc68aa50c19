package dev.jcni.ipam;

/** No free address in {@link #range()}; whatever the failed call had reserved is released again. */
public final class PoolExhaustedException extends IpamException {

    private final transient PoolRange range;

    public PoolExhaustedException(PoolRange range) {
        super("no free IP address in range " + range, null);
        this.range = range;
    }

    public PoolRange range() {
        return range;
    }
}
