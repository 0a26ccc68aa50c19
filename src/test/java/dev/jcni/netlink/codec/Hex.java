package dev.jcni.netlink.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Test helper for byte fixtures written as annotated hex: whitespace is ignored and {@code #} starts a
 * comment that runs to the end of the line, so every field can carry its struct name and value.
 */
public final class Hex {
    private Hex() {}

    public static byte[] parse(String annotated) {
        StringBuilder digits = new StringBuilder();
        for (String line : annotated.split("\n", -1)) {
            int hash = line.indexOf('#');
            String code = hash < 0 ? line : line.substring(0, hash);
            for (int i = 0; i < code.length(); i++) {
                char c = code.charAt(i);
                if (!Character.isWhitespace(c)) digits.append(c);
            }
        }
        return HexFormat.of().parseHex(digits);
    }

    /** Four bytes per line, prefixed by the offset: mismatches show up as a readable line diff. */
    public static String dump(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < b.length; i += 4) {
            sb.append(String.format("%04x: ", i)).append(HexFormat.of().formatHex(b, i, Math.min(b.length, i + 4))).append('\n');
        }
        return sb.toString();
    }

    public static void assertBytes(String expectedAnnotated, byte[] actual) {
        byte[] expected = parse(expectedAnnotated);
        assertEquals(dump(expected), dump(actual), () -> "expected " + expected.length + " bytes, got " + actual.length);
    }

    /** Splits a fixture datagram exactly as the socket loop does. */
    public static List<Message> messages(String annotated) {
        byte[] b = parse(annotated);
        return MessageParser.parse(b, b.length);
    }

    /** A message whose body is the given bytes, for feeding family parsers directly. */
    public static Message message(int type, int flags, String bodyAnnotated) {
        return new Message(type, flags, 1, 0, ByteBuffer.wrap(parse(bodyAnnotated)).order(ByteOrder.nativeOrder()));
    }

    /** The fixtures are x86-64 (little-endian) bytes; the codec uses native order. */
    public static void assumeLittleEndian() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN,
                "skipped: netlink fixtures are little-endian bytes and this JVM's native order is big-endian");
    }
}
