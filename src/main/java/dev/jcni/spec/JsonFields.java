package dev.jcni.spec;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds result objects the way Go's {@code omitempty} does: null, "" and empty collections are left out. */
final class JsonFields {
    private final Map<String, Object> map = new LinkedHashMap<>();

    JsonFields put(String key, Object value) {
        boolean empty = switch (value) {
            case null -> true;
            case String s -> s.isEmpty();
            case Collection<?> c -> c.isEmpty();
            case Map<?, ?> m -> m.isEmpty();
            default -> false;
        };
        if (!empty) {
            map.put(key, value);
        }
        return this;
    }

    Map<String, Object> map() {
        return map;
    }
}
