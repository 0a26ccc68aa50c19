package dev.jcni.spec;

import dev.jcni.json.JsonFieldException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one error type a CNI verb reports: a spec code plus {@code msg} and {@code details}, printed by the
 * {@link Dispatcher} as {@code {"cniVersion","code","msg","details"}} on stdout. Unchecked so verbs can
 * throw it from deep inside helpers; anything else that escapes a verb becomes code 999.
 */
public class CniException extends RuntimeException {
    private final int code;
    private final String msg;
    private final String details;

    public CniException(int code, String msg, String details) {
        this(code, msg, details, null);
    }

    public CniException(int code, String msg, String details, Throwable cause) {
        super(text(code, msg, details), cause);
        this.code = code;
        this.msg = msg == null ? "" : msg;
        this.details = details == null ? "" : details;
    }

    public CniException(ErrorCode code, String msg, String details) {
        this(code.code(), msg, details, null);
    }

    public CniException(ErrorCode code, String msg, String details, Throwable cause) {
        this(code.code(), msg, details, cause);
    }

    public static CniException incompatibleVersion(String msg, String details) {
        return new CniException(ErrorCode.INCOMPATIBLE_VERSION, msg, details);
    }

    public static CniException unsupportedField(String key, Object value) {
        return new CniException(ErrorCode.UNSUPPORTED_FIELD, "unsupported field: " + key + "=" + value, "");
    }

    public static CniException unknownContainer(String msg) {
        return new CniException(ErrorCode.UNKNOWN_CONTAINER, msg, "");
    }

    public static CniException invalidEnv(String variable, String why) {
        return new CniException(ErrorCode.INVALID_ENVIRONMENT, "invalid environment variable " + variable + ": " + why, "");
    }

    public static CniException ioFailure(String msg, Throwable cause) {
        return new CniException(ErrorCode.IO_FAILURE, msg, cause == null ? "" : String.valueOf(cause.getMessage()), cause);
    }

    public static CniException decodeFailure(String msg, String details) {
        return new CniException(ErrorCode.DECODING_FAILURE, msg, details);
    }

    public static CniException invalidConfig(String key, String why) {
        return new CniException(ErrorCode.INVALID_NETWORK_CONFIG, "invalid config: key " + key + ": " + why, "");
    }

    /** Maps a typed-reader failure ({@code JsonObject}) to code 7, keeping its key path. */
    public static CniException invalidConfig(JsonFieldException e) {
        return new CniException(ErrorCode.INVALID_NETWORK_CONFIG, "invalid config: " + e.getMessage(), "", e);
    }

    public static CniException tryAgainLater(String msg) {
        return new CniException(ErrorCode.TRY_AGAIN_LATER, msg, "");
    }

    /** STATUS: cannot serve ADD (50). */
    public static CniException notReady(String msg) {
        return new CniException(ErrorCode.PLUGIN_NOT_AVAILABLE, msg, "");
    }

    /** STATUS: not available and existing pods may be affected (51). */
    public static CniException limitedConnectivity(String msg) {
        return new CniException(ErrorCode.LIMITED_CONNECTIVITY, msg, "");
    }

    public static CniException pluginSpecific(int code, String msg, String details) {
        if (code < ErrorCode.FIRST_PLUGIN_SPECIFIC) {
            throw new IllegalArgumentException("plugin-specific codes start at 100, got " + code);
        }
        return new CniException(code, msg, details);
    }

    /** Wraps an unexpected throwable; its class and message go to details, never its stack trace. */
    public static CniException internal(Throwable t) {
        return new CniException(ErrorCode.INTERNAL, "internal error", t.getClass().getName() + ": " + t.getMessage(), t);
    }

    public int code() {
        return code;
    }

    public String msg() {
        return msg;
    }

    public String details() {
        return details;
    }

    /** The error object as the spec prints it; {@code details} is omitted when empty. */
    public Map<String, Object> toJson(String cniVersion) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("cniVersion", cniVersion);
        json.put("code", code);
        json.put("msg", msg);
        if (!details.isEmpty()) {
            json.put("details", details);
        }
        return json;
    }

    private static String text(int code, String msg, String details) {
        String base = "CNI error " + code + ": " + msg;
        return details == null || details.isEmpty() ? base : base + " (" + details + ")";
    }
}
