package dev.jcni.netlink;

/** The kernel's table changed during a dump (NLM_F_DUMP_INTR); the result may be inconsistent, so retry. */
public final class DumpInterruptedException extends NetlinkException {
    public DumpInterruptedException(String operation) {
        super(4, operation, null, "dump interrupted by a concurrent change");
    }
}
