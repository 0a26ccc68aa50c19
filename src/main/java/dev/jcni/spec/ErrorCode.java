package dev.jcni.spec;

import java.util.Optional;

/** Well-known CNI error codes (SPEC.md "Error"); plugin-specific codes are 100 and up. */
public enum ErrorCode {
    INCOMPATIBLE_VERSION(1),
    UNSUPPORTED_FIELD(2),
    UNKNOWN_CONTAINER(3),
    INVALID_ENVIRONMENT(4),
    IO_FAILURE(5),
    DECODING_FAILURE(6),
    INVALID_NETWORK_CONFIG(7),
    TRY_AGAIN_LATER(11),
    /** STATUS: the plugin cannot serve ADD requests. */
    PLUGIN_NOT_AVAILABLE(50),
    /** STATUS: not available, and existing containers may have limited connectivity. */
    LIMITED_CONNECTIVITY(51),
    /** Any unexpected failure; same number as libcni's {@code types.ErrInternal}. */
    INTERNAL(999);

    /** Lowest code a plugin may use for its own errors. */
    public static final int FIRST_PLUGIN_SPECIFIC = 100;

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<ErrorCode> of(int code) {
        for (ErrorCode c : values()) {
            if (c.code == code) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
