package dev.jcni.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/** Serializes a value tree; compact when {@code indent} is empty, else one entry per line. */
final class JsonWriter {
    // Writing cannot detect cycles cheaply; a depth cap turns one into an exception instead of a StackOverflowError.
    private static final int MAX_DEPTH = JsonParser.MAX_DEPTH;

    private final StringBuilder out = new StringBuilder();
    private final String indent;

    JsonWriter(String indent) {
        this.indent = indent;
    }

    String write(Object value) {
        value(value, 0, 0);
        return out.toString();
    }

    /** {@code depth} drives indentation; {@code hops} also counts JsonWritable unwrapping, to stop cycles. */
    private void value(Object value, int depth, int hops) {
        if (hops > MAX_DEPTH) {
            throw new JsonException("nesting deeper than " + MAX_DEPTH + " (cyclic value?)");
        }
        switch (value) {
            case null -> out.append("null");
            case JsonWritable w -> value(w.toJson(), depth, hops + 1);
            case CharSequence s -> string(s);
            case Boolean b -> out.append(b);
            case Double d -> finite(d, d.isNaN() || d.isInfinite());
            case Float f -> finite(f, f.isNaN() || f.isInfinite());
            case Long l -> out.append(l);
            case Integer i -> out.append(i);
            case Short s -> out.append(s);
            case Byte b -> out.append(b);
            case BigInteger b -> out.append(b);
            case BigDecimal b -> out.append(b);
            case Map<?, ?> m -> object(m, depth, hops);
            case Collection<?> c -> array(c, depth, hops);
            default -> throw new JsonException("cannot write a " + value.getClass().getName() + " as JSON");
        }
    }

    private void finite(Number n, boolean nonFinite) {
        if (nonFinite) {
            throw new JsonException("cannot write non-finite number " + n + " as JSON");
        }
        out.append(n);
    }

    private void object(Map<?, ?> map, int depth, int hops) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new JsonException("object keys must be strings, got " + describe(e.getKey()));
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            newline(depth + 1);
            string(key);
            out.append(indent.isEmpty() ? ":" : ": ");
            value(e.getValue(), depth + 1, hops + 1);
        }
        newline(depth);
        out.append('}');
    }

    private void array(Collection<?> items, int depth, int hops) {
        if (items.isEmpty()) {
            out.append("[]");
            return;
        }
        out.append('[');
        boolean first = true;
        for (Object item : items) {
            if (!first) {
                out.append(',');
            }
            first = false;
            newline(depth + 1);
            value(item, depth + 1, hops + 1);
        }
        newline(depth);
        out.append(']');
    }

    private void newline(int depth) {
        if (!indent.isEmpty()) {
            out.append('\n').append(indent.repeat(depth));
        }
    }

    private void string(CharSequence s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || isLoneSurrogate(s, i)) {
                        // Escaping a lone surrogate keeps the output valid UTF-8 once encoded.
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean isLoneSurrogate(CharSequence s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        }
        return false;
    }

    private static String describe(Object o) {
        return o == null ? "null" : o.getClass().getName();
    }
}
