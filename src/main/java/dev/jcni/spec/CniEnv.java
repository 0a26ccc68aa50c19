package dev.jcni.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The validated CNI_* environment of one invocation. Variables the verb does not use are null
 * (or empty for args/path), even if set, so a plugin never acts on an unvalidated value.
 */
public record CniEnv(Command command, String containerId, String netns, String ifname,
                     Map<String, String> args, List<String> cniPath) {

    public CniEnv {
        args = Map.copyOf(args);
        cniPath = List.copyOf(cniPath);
    }

    /** Validates {@code env} against the {@link CniEnvVar} table; any violation is code 4 naming the variable. */
    public static CniEnv parse(Map<String, String> env) {
        String rawCommand = value(env, CniEnvVar.COMMAND);
        if (rawCommand == null) {
            throw missing(List.of(CniEnvVar.COMMAND.varName()));
        }
        Command command = Command.parse(rawCommand).orElseThrow(() -> CniException.invalidEnv(
                CniEnvVar.COMMAND.varName(), CniEnvVar.COMMAND.problem(rawCommand).orElseThrow()));

        // Report every missing variable at once, like skel, then the first invalid one.
        List<String> missing = new ArrayList<>();
        for (CniEnvVar v : CniEnvVar.values()) {
            if (v.requiredFor(command) && value(env, v) == null) {
                missing.add(v.varName());
            }
        }
        if (!missing.isEmpty()) {
            throw missing(missing);
        }
        for (CniEnvVar v : CniEnvVar.values()) {
            String value = value(env, v);
            if (value != null && v.acceptedFor(command)) {
                v.problem(value).ifPresent(why -> {
                    throw CniException.invalidEnv(v.varName(), why);
                });
            }
        }
        return new CniEnv(command,
                used(env, CniEnvVar.CONTAINERID, command),
                used(env, CniEnvVar.NETNS, command),
                used(env, CniEnvVar.IFNAME, command),
                CniArgs.parse(used(env, CniEnvVar.ARGS, command)),
                CniPath.split(used(env, CniEnvVar.PATH, command)));
    }

    private static String used(Map<String, String> env, CniEnvVar v, Command command) {
        return v.acceptedFor(command) ? value(env, v) : null;
    }

    /** Empty counts as unset, as in skel. */
    private static String value(Map<String, String> env, CniEnvVar v) {
        String value = env.get(v.varName());
        return value == null || value.isEmpty() ? null : value;
    }

    private static CniException missing(List<String> names) {
        String joined = String.join(", ", names);
        return new CniException(ErrorCode.INVALID_ENVIRONMENT,
                "required environment variable" + (names.size() > 1 ? "s " : " ") + joined + " missing", "");
    }
}
