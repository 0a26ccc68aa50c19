package dev.jcni.json;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Entry points of the tiny JSON library. The plugin starts once per pod, so this stays small:
 * objects are {@code LinkedHashMap<String,Object>} (key order kept), arrays {@code ArrayList<Object>},
 * integral numbers that fit are {@code Long}, other numbers {@code Double}, plus String, Boolean and null.
 */
public final class Json {
    private Json() {
    }

    /** Parses one JSON value; anything malformed throws {@link JsonException} naming the offset. */
    public static Object parse(String text) {
        return new JsonParser(text).parseDocument();
    }

    /** Parses UTF-8 bytes (as read from stdin); invalid UTF-8 is rejected, not replaced. */
    public static Object parse(byte[] utf8) {
        return parse(decodeUtf8(utf8));
    }

    /** Compact JSON, no whitespace. */
    public static String write(Object value) {
        return new JsonWriter("").write(value);
    }

    /** JSON indented by two spaces per level, as printed to container runtimes. */
    public static String pretty(Object value) {
        return new JsonWriter("  ").write(value);
    }

    private static String decodeUtf8(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(in)
                    .toString();
        } catch (CharacterCodingException e) {
            // the decoder leaves the buffer at the offending byte
            throw new JsonException("invalid UTF-8 at byte offset " + in.position());
        }
    }
}
