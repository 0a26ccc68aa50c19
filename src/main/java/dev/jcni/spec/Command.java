package dev.jcni.spec;

import java.util.Optional;

/** The CNI verbs, each with the first config version that defines it. */
public enum Command {
    ADD(CniVersion.V0_3_0),
    DEL(CniVersion.V0_3_0),
    CHECK(CniVersion.V0_4_0),
    STATUS(CniVersion.V1_1_0),
    GC(CniVersion.V1_1_0),
    VERSION(CniVersion.V0_3_0);

    private final CniVersion since;

    Command(CniVersion since) {
        this.since = since;
    }

    /** Oldest config cniVersion for which this verb exists. */
    public CniVersion since() {
        return since;
    }

    /** Exact, case-sensitive match, as libcni sends it. */
    public static Optional<Command> parse(String name) {
        for (Command c : values()) {
            if (c.name().equals(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
