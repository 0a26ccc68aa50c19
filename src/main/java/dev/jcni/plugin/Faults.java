package dev.jcni.plugin;

import dev.jcni.spec.CniException;

import java.util.Map;

/**
 * Named checkpoints between ADD's steps. Tests set JCNI_TEST_FAIL_AT=<step> to make that step fail and
 * prove that everything done before it is undone; in production the variable is never set.
 */
public final class Faults {
    public static final String ENV = "JCNI_TEST_FAIL_AT";
    public static final int CODE = 199;

    private final String failAt;

    public Faults(Map<String, String> env) { this.failAt = env.get(ENV); }

    public void checkpoint(String step) {
        if (step.equals(failAt)) throw CniException.pluginSpecific(CODE, "injected failure at step " + step, ENV);
    }
}
