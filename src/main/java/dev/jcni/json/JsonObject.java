package dev.jcni.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed, read-only view of a parsed JSON object for config parsing. Every accessor that meets a
 * wrong type throws {@link JsonFieldException} carrying the full key path, e.g.
 * {@code ipam.routes[2].dst}, so the caller can say exactly which key is invalid.
 * JSON {@code null} counts as absent.
 */
public final class JsonObject {
    private final Map<String, Object> map;
    private final String path;

    private JsonObject(Map<String, Object> map, String path) {
        this.map = map;
        this.path = path;
    }

    /** Wraps a root object (keys are reported without a prefix). */
    @SuppressWarnings("unchecked")
    public static JsonObject of(Map<String, ?> map) {
        return new JsonObject((Map<String, Object>) map, "");
    }

    /** Wraps an object found at {@code path} (keys are reported as {@code path.key}). */
    @SuppressWarnings("unchecked")
    public static JsonObject at(String path, Map<String, ?> map) {
        return new JsonObject((Map<String, Object>) map, path);
    }

    /** Parses a document whose root must be an object. */
    public static JsonObject parse(String text) {
        return root(Json.parse(text));
    }

    /** Parses UTF-8 bytes whose root must be an object. */
    public static JsonObject parse(byte[] utf8) {
        return root(Json.parse(utf8));
    }

    @SuppressWarnings("unchecked")
    private static JsonObject root(Object value) {
        if (value instanceof Map<?, ?> m) {
            return of((Map<String, ?>) m);
        }
        throw new JsonException("expected a JSON object at the top level, got " + JsonType.of(value).label(), 0);
    }

    /** The underlying map (unmodifiable view); use it for keys this class has no accessor for. */
    public Map<String, Object> map() {
        return Collections.unmodifiableMap(map);
    }

    /** Path of this object from the root, "" for the root. */
    public String path() {
        return path;
    }

    /** Full path of a key of this object, as used in error messages. */
    public String keyPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** True when the key is present with a non-null value. */
    public boolean has(String key) {
        return map.get(key) != null;
    }

    /** The raw value, or null when absent. */
    public Object get(String key) {
        return map.get(key);
    }

    public String str(String key) {
        return optStr(key).orElseThrow(() -> JsonFieldException.missing(keyPath(key), JsonType.STRING));
    }

    public Optional<String> optStr(String key) {
        return typed(key, JsonType.STRING, String.class);
    }

    public Optional<Boolean> optBool(String key) {
        return typed(key, JsonType.BOOLEAN, Boolean.class);
    }

    public Optional<Long> optLong(String key) {
        Object v = map.get(key);
        return switch (v) {
            case null -> Optional.empty();
            case Long l -> Optional.of(l);
            case Integer i -> Optional.of(i.longValue());
            default -> throw JsonFieldException.wrongType(keyPath(key), JsonType.INTEGER, v);
        };
    }

    public int integer(String key) {
        return optInt(key).orElseThrow(() -> JsonFieldException.missing(keyPath(key), JsonType.INTEGER));
    }

    /** A 32-bit integer; fractions and out-of-range values are rejected, not truncated. */
    public Optional<Integer> optInt(String key) {
        return optLong(key).map(l -> {
            if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                throw new JsonFieldException(keyPath(key), "integer " + l + " out of 32-bit range");
            }
            return l.intValue();
        });
    }

    public JsonObject obj(String key) {
        return optObject(key).orElseThrow(() -> JsonFieldException.missing(keyPath(key), JsonType.OBJECT));
    }

    @SuppressWarnings("unchecked")
    public Optional<JsonObject> optObject(String key) {
        return typed(key, JsonType.OBJECT, Map.class).map(m -> at(keyPath(key), (Map<String, ?>) m));
    }

    @SuppressWarnings("unchecked")
    public Optional<List<Object>> optList(String key) {
        return typed(key, JsonType.ARRAY, List.class).map(l -> Collections.unmodifiableList((List<Object>) l));
    }

    /** An array whose elements must all be strings. */
    public Optional<List<String>> optStrList(String key) {
        return optList(key).map(list -> {
            List<String> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                if (!(list.get(i) instanceof String s)) {
                    throw JsonFieldException.wrongType(keyPath(key) + "[" + i + "]", JsonType.STRING, list.get(i));
                }
                out.add(s);
            }
            return List.copyOf(out);
        });
    }

    /** An array whose elements must all be objects; each element reports keys as {@code key[i].sub}. */
    @SuppressWarnings("unchecked")
    public Optional<List<JsonObject>> optObjectList(String key) {
        return optList(key).map(list -> {
            List<JsonObject> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                String elementPath = keyPath(key) + "[" + i + "]";
                if (!(list.get(i) instanceof Map<?, ?> m)) {
                    throw JsonFieldException.wrongType(elementPath, JsonType.OBJECT, list.get(i));
                }
                out.add(at(elementPath, (Map<String, ?>) m));
            }
            return List.copyOf(out);
        });
    }

    private <T> Optional<T> typed(String key, JsonType expected, Class<T> type) {
        Object v = map.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!type.isInstance(v)) {
            throw JsonFieldException.wrongType(keyPath(key), expected, v);
        }
        return Optional.of(type.cast(v));
    }

    @Override
    public String toString() {
        return Json.write(map);
    }
}
