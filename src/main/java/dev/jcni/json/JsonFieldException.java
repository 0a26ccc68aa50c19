package dev.jcni.json;

/**
 * A well-formed JSON document whose field is missing or has the wrong type or value.
 * {@link #key()} is the dotted path from the root ("ipam.ranges[0][1].subnet") so a caller
 * can report exactly which config key is wrong (CNI error 7).
 */
public final class JsonFieldException extends RuntimeException {
    private final String key;
    private final String problem;

    public JsonFieldException(String key, String problem) {
        super("key " + key + ": " + problem);
        this.key = key;
        this.problem = problem;
    }

    static JsonFieldException missing(String key, JsonType expected) {
        return new JsonFieldException(key, "missing (expected " + expected.label() + ")");
    }

    static JsonFieldException wrongType(String key, JsonType expected, Object actual) {
        return new JsonFieldException(key, "expected " + expected.label() + ", got " + JsonType.of(actual).label());
    }

    /** Full path of the offending key. */
    public String key() {
        return key;
    }

    /** What is wrong with it, without the key. */
    public String problem() {
        return problem;
    }
}
