package dev.jcni.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Strict RFC 8259 recursive-descent parser. One instance per document; not thread-safe. */
final class JsonParser {
    // Deep enough for any CNI config, shallow enough that hostile input cannot overflow the stack.
    static final int MAX_DEPTH = 512;

    private final String text;
    private int pos;

    JsonParser(String text) {
        this.text = text;
    }

    Object parseDocument() {
        skipWhitespace();
        Object value = value(0);
        skipWhitespace();
        if (pos < text.length()) {
            throw error("unexpected " + describe(text.charAt(pos)) + " after the JSON value");
        }
        return value;
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH);
        }
        if (pos >= text.length()) {
            throw error("unexpected end of input");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || isDigit(c)) {
                    yield number();
                }
                throw error("unexpected " + describe(c));
            }
        };
    }

    private Map<String, Object> object(int depth) {
        pos++; // '{'
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw atEndOr(peek() == '}' ? "trailing comma in object" : "expected a string key");
            }
            String key = string();
            skipWhitespace();
            if (peek() != ':') {
                throw atEndOr("expected ':' after object key");
            }
            pos++;
            skipWhitespace();
            map.put(key, value(depth + 1)); // duplicate keys: the last one wins
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') {
                return map;
            }
            if (c != ',') {
                pos--;
                throw atEndOr("expected ',' or '}' in object");
            }
        }
    }

    private List<Object> array(int depth) {
        pos++; // '['
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipWhitespace();
            if (peek() == ']') {
                throw error("trailing comma in array");
            }
            list.add(value(depth + 1));
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') {
                return list;
            }
            if (c != ',') {
                pos--;
                throw atEndOr("expected ',' or ']' in array");
            }
        }
    }

    private String string() {
        pos++; // opening quote
        StringBuilder sb = null; // only allocated once an escape shows up
        int runStart = pos;
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                String tail = text.substring(runStart, pos++);
                return sb == null ? tail : sb.append(tail).toString();
            }
            if (c < 0x20) {
                throw error("unescaped control character " + describe(c) + " in string");
            }
            if (c == '\\') {
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(text, runStart, pos);
                escape(sb);
                runStart = pos;
            } else {
                pos++;
            }
        }
    }

    private void escape(StringBuilder sb) {
        int escapeStart = pos;
        pos++; // backslash
        if (pos >= text.length()) {
            throw error("unterminated string");
        }
        char c = text.charAt(pos++);
        switch (c) {
            case '"' -> sb.append('"');
            case '\\' -> sb.append('\\');
            case '/' -> sb.append('/');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'u' -> unicodeEscape(sb, escapeStart);
            default -> {
                pos = escapeStart;
                throw error("invalid escape \\" + (c < 0x20 ? describe(c) : String.valueOf(c)));
            }
        }
    }

    private void unicodeEscape(StringBuilder sb, int escapeStart) {
        char unit = hex4();
        if (Character.isLowSurrogate(unit)) {
            pos = escapeStart;
            throw error("unpaired low surrogate \\u" + hex(unit));
        }
        if (Character.isHighSurrogate(unit)) {
            // A high surrogate is only meaningful when a \\u low surrogate follows immediately.
            if (!text.startsWith("\\u", pos)) {
                pos = escapeStart;
                throw error("unpaired high surrogate \\u" + hex(unit));
            }
            int lowStart = pos;
            pos += 2;
            char low = hex4();
            if (!Character.isLowSurrogate(low)) {
                pos = lowStart;
                throw error("high surrogate \\u" + hex(unit) + " not followed by a low surrogate");
            }
            sb.append(unit).append(low);
            return;
        }
        sb.append(unit);
    }

    private char hex4() {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            if (pos >= text.length()) {
                throw error("unterminated \\u escape");
            }
            int digit = Character.digit(text.charAt(pos), 16);
            if (digit < 0 || text.charAt(pos) > 'f') { // Character.digit also accepts non-ASCII digits
                throw error("invalid hex digit " + describe(text.charAt(pos)) + " in \\u escape");
            }
            value = value * 16 + digit;
            pos++;
        }
        return (char) value;
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek()) ) {
            digits();
        } else {
            throw atEndOr("invalid number: expected a digit");
        }
        boolean integral = true;
        if (peek() == '.') {
            pos++;
            if (!isDigit(peek())) {
                throw atEndOr("invalid number: expected a digit after '.'");
            }
            digits();
            integral = false;
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw atEndOr("invalid number: expected a digit in the exponent");
            }
            digits();
            integral = false;
        }
        String literal = text.substring(start, pos);
        if (integral) {
            try {
                return Long.parseLong(literal);
            } catch (NumberFormatException tooBig) {
                // falls through to Double: integers beyond 64 bits keep their magnitude, not every digit
            }
        }
        double d = Double.parseDouble(literal);
        if (Double.isInfinite(d)) {
            pos = start;
            throw error("number out of range");
        }
        return d;
    }

    private void digits() {
        while (isDigit(peek())) {
            pos++;
        }
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("invalid literal, expected '" + word + "'");
        }
        pos += word.length();
        return value;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    /** The current character, or NUL at end of input (NUL can never be valid where we peek). */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private JsonException atEndOr(String reason) {
        return error(pos >= text.length() ? "unexpected end of input" : reason);
    }

    private JsonException error(String reason) {
        return new JsonException(reason, pos);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String hex(char c) {
        return String.format("%04X", (int) c);
    }

    private static String describe(char c) {
        return c < 0x20 || c > 0x7e ? "character U+" + hex(c) : "character '" + c + "'";
    }
}
