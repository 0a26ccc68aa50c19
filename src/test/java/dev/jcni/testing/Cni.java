package dev.jcni.testing;

import dev.jcni.json.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Calls the real {@code dist/bin/jcni} the way a runtime does: a fresh process, CNI_* in a clean
 * environment, config on stdin, and run inside a "node" namespace (never the root one).
 */
public final class Cni {
    public record Call(int exit, String stdout, String stderr) {
        /** stdout as JSON (a result or an error object). */
        @SuppressWarnings("unchecked")
        public Map<String, Object> json() { return (Map<String, Object>) Json.parse(stdout); }

        public Call ok() {
            if (exit != 0) throw new AssertionError("plugin failed (exit " + exit + "): " + stdout + "\nstderr: " + stderr);
            return this;
        }

        /** The CNI error code, asserting the call failed. */
        public int code() {
            if (exit == 0) throw new AssertionError("expected a failure, got: " + stdout);
            return ((Number) json().get("code")).intValue();
        }
    }

    private Cni() {}

    /** Builds the env for one verb. {@code netns} and the others may be null to leave them out. */
    public static Map<String, String> env(String command, String containerId, String netns, String ifname) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", command);
        if (containerId != null) env.put("CNI_CONTAINERID", containerId);
        if (netns != null) env.put("CNI_NETNS", netns);
        if (ifname != null) env.put("CNI_IFNAME", ifname);
        env.put("CNI_PATH", Dist.home().resolve("bin") + ":" + Dist.referencePlugins());
        return env;
    }

    /** Runs dist/bin/jcni inside the node namespace {@code nodeNs} (a name under /run/netns). */
    public static Call call(String nodeNs, Map<String, String> env, String stdin) {
        return call(nodeNs, env, stdin, Dist.jcni());
    }

    /** The same with another executable as the plugin (e.g. dist/bin/jcni-java, the Java program alone). */
    public static Call call(String nodeNs, Map<String, String> env, String stdin, java.nio.file.Path program) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", nodeNs, "env", "-i"));
        env.forEach((k, v) -> cmd.add(k + "=" + v));
        cmd.add(program.toString());
        Sh.Result r = Sh.run(cmd, stdin);
        return new Call(r.exit(), r.out(), r.err());
    }
}
