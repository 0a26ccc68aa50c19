package dev.jcni.spec;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** CNI_ARGS: "K=V;K=V" (e.g. K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-0). Values may contain '='. */
public final class CniArgs {
    private CniArgs() {
    }

    /** Parses CNI_ARGS; null or empty gives an empty map. Empty segments (";;") are skipped. */
    public static Map<String, String> parse(String raw) {
        Optional<String> problem = problem(raw);
        if (problem.isPresent()) {
            throw CniException.invalidEnv(CniEnvVar.ARGS.varName(), problem.get());
        }
        Map<String, String> args = new LinkedHashMap<>();
        for (String pair : segments(raw)) {
            int eq = pair.indexOf('=');
            args.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return args;
    }

    static Optional<String> problem(String raw) {
        for (String pair : segments(raw)) {
            if (pair.indexOf('=') <= 0) {
                return Optional.of("invalid pair \"" + pair + "\", expected KEY=VALUE");
            }
        }
        return Optional.empty();
    }

    private static List<String> segments(String raw) {
        if (raw == null || raw.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(raw.split(";")).filter(s -> !s.isEmpty()).toList();
    }
}
