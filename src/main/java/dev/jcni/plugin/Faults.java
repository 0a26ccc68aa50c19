package dev.jcni.plugin;

import dev.jcni.spec.CniException;

import java.util.Map;

/**
 * Named checkpoints between ADD's steps. Tests set JCNI_TEST_FAIL_AT=<step> to make that step fail and
 * prove that everything done before it is undone, or JCNI_TEST_HALT_AT=<step> to end the process
 * there at once, as a SIGKILL would (the agent serving a request, too); in production neither is set.
 */
public final class Faults {
    public static final String ENV = "JCNI_TEST_FAIL_AT";
    public static final String HALT_ENV = "JCNI_TEST_HALT_AT";
    public static final int CODE = 199;

    private final String failAt;
    private final String haltAt;

    public Faults(Map<String, String> env) {
        this.failAt = env.get(ENV);
        this.haltAt = env.get(HALT_ENV);
    }

    public void checkpoint(String step) {
        if (step.equals(haltAt)) Runtime.getRuntime().halt(137);
        if (step.equals(failAt)) throw CniException.pluginSpecific(CODE, "injected failure at step " + step, ENV);
    }
}
