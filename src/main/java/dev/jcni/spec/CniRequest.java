package dev.jcni.spec;

import java.util.List;
import java.util.Map;

/**
 * One validated invocation handed to a {@link Plugin} verb.
 *
 * @param containerId null for STATUS and GC
 * @param netns       null for STATUS and GC, and possibly for DEL
 * @param ifname      null for STATUS and GC
 * @param stdin       the raw config bytes (for delegating the same config on); do not modify
 * @param env         the complete environment, passed on to delegated plugins
 */
public record CniRequest(Command command, String containerId, String netns, String ifname,
                         Map<String, String> args, List<String> cniPath, NetConf conf,
                         byte[] stdin, Map<String, String> env) {

    public CniRequest {
        args = Map.copyOf(args);
        cniPath = List.copyOf(cniPath);
        env = Map.copyOf(env);
    }

    static CniRequest of(CniEnv e, NetConf conf, byte[] stdin, Map<String, String> env) {
        return new CniRequest(e.command(), e.containerId(), e.netns(), e.ifname(), e.args(), e.cniPath(),
                conf, stdin, env);
    }

    /** The version every output of this request must use. */
    public CniVersion cniVersion() {
        return conf.cniVersion();
    }
}
