package dev.jcni.json;

import java.util.List;
import java.util.Map;

/** The JSON type names used in error messages ("expected integer, got string"). */
public enum JsonType {
    OBJECT, ARRAY, STRING, INTEGER, NUMBER, BOOLEAN, NULL;

    /** The JSON type of a value produced by {@link Json#parse}. */
    public static JsonType of(Object value) {
        return switch (value) {
            case null -> NULL;
            case Map<?, ?> m -> OBJECT;
            case List<?> l -> ARRAY;
            case String s -> STRING;
            case Long l -> INTEGER;
            case Integer i -> INTEGER;
            case Number n -> NUMBER;
            case Boolean b -> BOOLEAN;
            default -> throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        };
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
