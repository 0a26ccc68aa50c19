package dev.jcni.spec;

import dev.jcni.json.Json;
import dev.jcni.json.JsonException;
import dev.jcni.json.JsonFieldException;
import dev.jcni.json.JsonObject;
import dev.jcni.json.JsonType;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The network configuration a runtime passes on stdin. The well-known keys are parsed here; a plugin
 * reads its own keys (bridge, podcidr, ipam, ...) through {@link #json()}, whose type errors the
 * {@link Dispatcher} reports as code 7 naming the key.
 *
 * @param validAttachments GC's list of attachments still in use; null when the key is absent
 *                         (which is not the same as an empty list: empty means "release everything")
 */
public record NetConf(CniVersion cniVersion, String name, String type, Result prevResult,
                      Map<String, Object> runtimeConfig, List<Attachment> validAttachments, Map<String, Object> raw) {

    /** libcni sends both keys: the 1.1.0 spec text named the second, the implementation the first. */
    public static final String VALID_ATTACHMENTS = "cni.dev/valid-attachments";
    public static final String ATTACHMENTS = "cni.dev/attachments";
    // libcni's ValidateNetworkName
    private static final Pattern NETWORK_NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$");

    public NetConf {
        runtimeConfig = runtimeConfig == null ? Map.of() : Collections.unmodifiableMap(runtimeConfig);
        validAttachments = validAttachments == null ? null : List.copyOf(validAttachments);
        raw = Collections.unmodifiableMap(raw);
    }

    /** Typed reader over the whole config, for plugin-specific keys. */
    public JsonObject json() {
        return JsonObject.of(raw);
    }

    /** Decodes stdin: bad JSON or a non-object is code 6. */
    public static Map<String, Object> decode(byte[] stdin) {
        try {
            return JsonObject.parse(stdin).map();
        } catch (JsonException e) {
            throw CniException.decodeFailure("failed to decode network config: " + e.getMessage(), "");
        }
    }

    /** Decodes and validates stdin. */
    public static NetConf parse(byte[] stdin) {
        return fromJson(decode(stdin));
    }

    /** The config's cniVersion if it is well-formed, for labelling errors before full validation. */
    public static Optional<String> versionHint(Map<String, ?> raw) {
        return raw.get("cniVersion") instanceof String s && CniVersion.tryParse(s).isPresent()
                ? Optional.of(s) : Optional.empty();
    }

    /** Validates a decoded config: cniVersion problems are code 1, other invalid keys code 7. */
    public static NetConf fromJson(Map<String, Object> raw) {
        JsonObject o = JsonObject.of(raw);
        try {
            CniVersion version = version(o);
            String name = o.str("name");
            if (!NETWORK_NAME.matcher(name).matches()) {
                throw CniException.invalidConfig("name", "\"" + name + "\" must match " + NETWORK_NAME);
            }
            String type = o.str("type");
            if (type.isEmpty()) {
                throw CniException.invalidConfig("type", "must not be empty");
            }
            return new NetConf(version, name, type,
                    o.optObject("prevResult").map(Result::fromJson).orElse(null),
                    o.optObject("runtimeConfig").map(JsonObject::map).orElse(null),
                    attachments(o),
                    raw);
        } catch (JsonFieldException e) {
            throw CniException.invalidConfig(e);
        }
    }

    private static CniVersion version(JsonObject o) {
        Object v = o.get("cniVersion");
        if (v == null) {
            // The spec's default for a missing cniVersion is 0.1.0, which jcni cannot speak.
            throw CniException.incompatibleVersion("config has no cniVersion (implies 0.1.0, which is unsupported)",
                    "supported: " + CniVersion.supportedStrings());
        }
        if (!(v instanceof String s)) {
            throw CniException.incompatibleVersion("cniVersion must be a string, got " + JsonType.of(v).label(), "");
        }
        return CniVersion.parse(s);
    }

    private static List<Attachment> attachments(JsonObject o) {
        String key = o.has(VALID_ATTACHMENTS) ? VALID_ATTACHMENTS : ATTACHMENTS;
        return o.optObjectList(key).map(l -> l.stream().map(Attachment::fromJson).toList()).orElse(null);
    }
}
