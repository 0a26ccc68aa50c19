package dev.jcni.spec;

import java.util.Arrays;
import java.util.List;

/** CNI_PATH: plugin directories separated by ':' (empty entries are ignored, as libcni does). */
public final class CniPath {
    private CniPath() {
    }

    public static List<String> split(String raw) {
        if (raw == null || raw.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(raw.split(":")).filter(s -> !s.isEmpty()).toList();
    }
}
