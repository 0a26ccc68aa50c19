package dev.jcni.spec;

import dev.jcni.json.Json;
import dev.jcni.json.JsonException;
import dev.jcni.json.JsonWritable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The VERSION verb's answer. */
public record VersionInfo(String cniVersion, List<String> supportedVersions) implements JsonWritable {

    public VersionInfo {
        supportedVersions = List.copyOf(supportedVersions);
    }

    /**
     * Answers in the version the runtime asked for on stdin ({"cniVersion":"..."}) when it is one of
     * {@code supported}, else in the latest. Stdin is optional and never an error here: VERSION is how a
     * runtime discovers what to send, so it must answer whatever it got.
     */
    public static VersionInfo answer(byte[] stdin, List<String> supported) {
        String requested = null;
        try {
            if (stdin.length > 0 && Json.parse(stdin) instanceof Map<?, ?> m && m.get("cniVersion") instanceof String s) {
                requested = s;
            }
        } catch (JsonException ignored) {
            // a malformed VERSION request still gets the default answer
        }
        return new VersionInfo(requested != null && supported.contains(requested) ? requested : CniVersion.LATEST.toString(), supported);
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("cniVersion", cniVersion);
        json.put("supportedVersions", supportedVersions);
        return json;
    }
}
