package dev.jcni.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonParseTest {

    @Test
    void literals() {
        assertNull(Json.parse("null"));
        assertEquals(Boolean.TRUE, Json.parse("true"));
        assertEquals(Boolean.FALSE, Json.parse(" false "));
        assertEquals("", Json.parse("\"\""));
    }

    @Test
    void integralNumbersAreLongs() {
        assertEquals(0L, Json.parse("0"));
        assertEquals(0L, Json.parse("-0"));
        assertEquals(-12L, Json.parse("-12"));
        assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
    }

    @Test
    void otherNumbersAreDoubles() {
        assertEquals(1.5, Json.parse("1.5"));
        assertEquals(1000.0, Json.parse("1e3"));
        assertEquals(0.01, Json.parse("1E-2"));
        assertEquals(-2.5e10, Json.parse("-2.5e+10"));
        assertEquals(1.0, Json.parse("1.0"));
        assertEquals(9.223372036854775808e18, assertInstanceOf(Double.class, Json.parse("9223372036854775808")));
    }

    @Test
    void objectsKeepKeyOrderAndArraysAreArrayLists() {
        Object v = Json.parse(" {\"z\": 1, \"a\": [true, null, \"x\"], \"m\": {}} ");
        Map<?, ?> map = assertInstanceOf(LinkedHashMap.class, v);
        assertEquals(List.of("z", "a", "m"), new ArrayList<>(map.keySet()));
        List<?> list = assertInstanceOf(ArrayList.class, map.get("a"));
        assertEquals(3, list.size());
        assertNull(list.get(1));
        assertEquals(Map.of(), map.get("m"));
        assertEquals(List.of(), Json.parse("[ ]"));
    }

    @Test
    void duplicateKeysLastWins() {
        assertEquals(Map.of("a", 2L), Json.parse("{\"a\":1,\"a\":2}"));
    }

    @Test
    void allWhitespaceKindsAreSkipped() {
        assertEquals(List.of(1L, 2L), Json.parse("\t\r\n [\n1 ,\t2\r]\n"));
    }

    @Test
    void simpleEscapes() {
        assertEquals("\" \\ / \b \f \n \r \t", Json.parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\""));
    }

    @Test
    void unicodeEscapes() {
        assertEquals("é", Json.parse("\"\\u00e9\""));
        assertEquals("é", Json.parse("\"\\u00E9\""));
        assertEquals("\u0000", Json.parse("\"\\u0000\""));
        assertEquals("a😀b", Json.parse("\"a\\uD83D\\uDE00b\""));
        assertEquals("a😀b", Json.parse("\"a\\ud83d\\ude00b\""));
    }

    @Test
    void rawUtf8Bytes() {
        byte[] bytes = "{\"name\":\"réseau-😀\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals(Map.of("name", "réseau-😀"), Json.parse(bytes));
    }

    @Test
    void invalidUtf8IsRejectedWithByteOffset() {
        byte[] bytes = {'"', 'a', (byte) 0xC3, '"'};
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(bytes));
        assertTrue(e.getMessage().contains("byte offset 2"), e.getMessage());
    }

    @Test
    void nestingUpToTheLimitIsFine() {
        int depth = JsonParser.MAX_DEPTH;
        assertInstanceOf(List.class, Json.parse("[".repeat(depth) + "]".repeat(depth)));
    }

    @Test
    void tooDeepNestingIsAnExceptionNotAStackOverflow() {
        int depth = 100_000;
        JsonException e = assertThrows(JsonException.class, () -> Json.parse("[".repeat(depth) + "]".repeat(depth)));
        assertTrue(e.getMessage().contains("nesting"), e.getMessage());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            ``                    | 0 | end of input
            `   `                 | 3 | end of input
            {                     | 1 | end of input
            [                     | 1 | end of input
            [1                    | 2 | end of input
            {"a"                  | 4 | end of input
            {"a":                 | 5 | end of input
            {"a":1                | 6 | end of input
            [1,]                  | 3 | trailing comma
            {"a":1,}              | 7 | trailing comma
            [1 2]                 | 3 | expected ',' or ']'
            {"a":1 "b":2}         | 7 | expected ',' or '}'
            {"a" 1}               | 5 | expected ':'
            {a:1}                 | 1 | expected a string key
            {1:1}                 | 1 | expected a string key
            {"a":}                | 5 | unexpected character '}'
            [,1]                  | 1 | unexpected character ','
            01                    | 1 | after the JSON value
            -01                   | 2 | after the JSON value
            1.                    | 2 | end of input
            1.e5                  | 2 | digit after '.'
            .5                    | 0 | unexpected character '.'
            +1                    | 0 | unexpected character '+'
            -                     | 1 | end of input
            -a                    | 1 | expected a digit
            1e                    | 2 | end of input
            1e+                   | 3 | end of input
            1ex                   | 2 | digit in the exponent
            1e400                 | 0 | out of range
            tru                   | 0 | expected 'true'
            nul                   | 0 | expected 'null'
            True                  | 0 | unexpected character 'T'
            NaN                   | 0 | unexpected character 'N'
            Infinity              | 0 | unexpected character 'I'
            'a'                   | 0 | unexpected character '''
            "abc                  | 4 | unterminated string
            "\\                   | 2 | unterminated string
            "\\x"                 | 1 | invalid escape
            "\\u12G4"             | 5 | invalid hex digit
            "\\u12                | 5 | unterminated \\u escape
            "\\uD83D"             | 1 | unpaired high surrogate
            "\\uD83Dx"            | 1 | unpaired high surrogate
            "\\uD83D\\u0041"      | 7 | not followed by a low surrogate
            "\\uDE00"             | 1 | unpaired low surrogate
            [1] x                 | 4 | after the JSON value
            {}{}                  | 2 | after the JSON value
            true false            | 5 | after the JSON value
            """)
    void malformedInputNamesTheOffset(String text, int offset, String reason) {
        // the text block already turned each \\ into one backslash, so text is the literal JSON
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(text));
        assertEquals(offset, e.offset(), e.getMessage());
        assertTrue(e.getMessage().endsWith(" at offset " + offset), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void controlCharactersInStringsAreRejected() {
        for (char c : new char[]{'\n', '\t', '\r', '\0', 0x1f}) {
            JsonException e = assertThrows(JsonException.class, () -> Json.parse("\"a" + c + "b\""));
            assertEquals(2, e.offset());
            assertTrue(e.getMessage().contains("control character"), e.getMessage());
        }
    }

    @Test
    void byteOrderMarkIsRejected() {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse("\uFEFF{}"));
        assertEquals(0, e.offset());
        assertTrue(e.getMessage().contains("U+FEFF"), e.getMessage());
    }

    @Test
    void delIsAllowedInStrings() {
        assertEquals("\u007f", Json.parse("\"\u007f\""));
    }
}
