package dev.jcni.json;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonWriteTest {

    private static Map<String, Object> sample() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("b", List.of(1L, 2.5, "x"));
        inner.put("n", null);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("z", true);
        root.put("a", inner);
        root.put("e", List.of());
        root.put("o", Map.of());
        return root;
    }

    @Test
    void compactKeepsKeyOrder() {
        assertEquals("{\"z\":true,\"a\":{\"b\":[1,2.5,\"x\"],\"n\":null},\"e\":[],\"o\":{}}", Json.write(sample()));
    }

    @Test
    void prettyIndentsTwoSpaces() {
        assertEquals("""
                {
                  "z": true,
                  "a": {
                    "b": [
                      1,
                      2.5,
                      "x"
                    ],
                    "n": null
                  },
                  "e": [],
                  "o": {}
                }""", Json.pretty(sample()));
    }

    @Test
    void scalars() {
        assertEquals("null", Json.write(null));
        assertEquals("false", Json.write(false));
        assertEquals("\"s\"", Json.write("s"));
        assertEquals("\"sb\"", Json.write(new StringBuilder("sb")));
        assertEquals("42", Json.write(42));
        assertEquals("-7", Json.write(-7L));
        assertEquals("3", Json.write((short) 3));
        assertEquals("1.5", Json.write(1.5));
        assertEquals("0.25", Json.write(0.25f));
        assertEquals("123456789012345678901234567890", Json.write(new BigInteger("123456789012345678901234567890")));
        assertEquals("1.10", Json.write(new BigDecimal("1.10")));
    }

    @Test
    void doublesStayParseable() {
        for (double d : new double[]{1e20, 1e-7, -0.0, Double.MAX_VALUE, Double.MIN_VALUE}) {
            assertEquals(d, Json.parse(Json.write(d)));
        }
    }

    @Test
    void nonFiniteNumbersAreRejected() {
        assertThrows(JsonException.class, () -> Json.write(Double.NaN));
        assertThrows(JsonException.class, () -> Json.write(Double.POSITIVE_INFINITY));
        assertThrows(JsonException.class, () -> Json.write(Float.NEGATIVE_INFINITY));
    }

    @Test
    void stringEscapes() {
        assertEquals("\"q\\\" b\\\\ s/ \\b\\f\\n\\r\\t \\u0001\\u001f é 😀\"",
                Json.write("q\" b\\ s/ \b\f\n\r\t \u0001\u001f é 😀"));
    }

    @Test
    void loneSurrogatesAreEscaped() {
        assertEquals("\"a\\ud83db\"", Json.write("a\uD83Db"));
        assertEquals("\"\\ude00\"", Json.write("\uDE00"));
        assertEquals("\"x\\ud83d\"", Json.write("x\uD83D"));
    }

    @Test
    void collectionsOtherThanListsAreArrays() {
        assertEquals("[\"only\"]", Json.write(Set.of("only")));
    }

    record Point(int x, int y) implements JsonWritable {
        @Override
        public Object toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("x", x);
            m.put("y", y);
            return m;
        }
    }

    record Wrapper(Point p) implements JsonWritable {
        @Override
        public Object toJson() {
            return List.of(p, p);
        }
    }

    @Test
    void jsonWritableSerializesItsTree() {
        assertEquals("{\"x\":1,\"y\":2}", Json.write(new Point(1, 2)));
        assertEquals("{\"pts\":[[{\"x\":3,\"y\":4},{\"x\":3,\"y\":4}]]}",
                Json.write(Map.of("pts", List.of(new Wrapper(new Point(3, 4))))));
    }

    @Test
    void jsonWritableDoesNotAddIndentation() {
        assertEquals("[\n  {\n    \"x\": 1,\n    \"y\": 2\n  }\n]", Json.pretty(List.of(new Point(1, 2))));
    }

    record Self() implements JsonWritable {
        @Override
        public Object toJson() {
            return this;
        }
    }

    @Test
    void selfReferentialWritableFailsCleanly() {
        assertThrows(JsonException.class, () -> Json.write(new Self()));
    }

    @Test
    void unsupportedValuesAreRejected() {
        JsonException e = assertThrows(JsonException.class, () -> Json.write(List.of(new Object())));
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
        assertThrows(JsonException.class, () -> Json.write(new int[]{1}));
        assertEquals(-1, e.offset());
    }

    @Test
    void nonStringKeysAreRejected() {
        JsonException e = assertThrows(JsonException.class, () -> Json.write(Map.of(1, "a")));
        assertTrue(e.getMessage().contains("keys must be strings"), e.getMessage());
    }

    @Test
    void cyclesFailCleanly() {
        List<Object> cyclic = new ArrayList<>();
        cyclic.add(cyclic);
        assertThrows(JsonException.class, () -> Json.write(cyclic));
    }

    @Test
    void parseWriteRoundTrip() {
        String text = "{\"cniVersion\":\"1.1.0\",\"name\":\"k8s\",\"n\":[0,-1,9223372036854775807,1.5E-5,true,false,null],"
                + "\"s\":\"tab\\t quote\\\" nl\\n \\u0000 é 😀\",\"nested\":{\"a\":{\"b\":[[],{}]}}}";
        Object tree = Json.parse(text);
        assertEquals(text, Json.write(tree));
        assertEquals(tree, Json.parse(Json.pretty(tree)));
    }

    @Test
    void writeParseRoundTrip() {
        Map<String, Object> tree = new LinkedHashMap<>(sample());
        tree.put("list", new ArrayList<>(Arrays.asList("a", null, 3L, List.of(Map.of("k", "v")))));
        assertEquals(tree, Json.parse(Json.write(tree)));
        assertEquals(tree, Json.parse(Json.pretty(tree)));
    }
}
