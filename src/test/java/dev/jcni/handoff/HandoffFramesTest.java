package dev.jcni.handoff;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The handoff wire format, byte for byte (the C shim speaks it too), and what a reader refuses. */
class HandoffFramesTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void requestIsMagicThenLengthPrefixedEnvEntriesThenStdin() throws IOException {
        byte[] frame = HandoffFrames.encodeRequest(new HandoffFrames.Request(Map.of("A", "1"), bytes("{}")));
        assertEquals("4a434e4931" + "00000001" + "00000003" + hex("A=1") + "00000002" + hex("{}"), HEX.formatHex(frame));
    }

    @Test
    void responseIsExitThenStdoutThenStderr() throws IOException {
        byte[] frame = HandoffFrames.encodeResponse(new HandoffFrames.Response(1, bytes("{}"), bytes("e")));
        assertEquals("00000001" + "00000002" + hex("{}") + "00000001" + hex("e"), HEX.formatHex(frame));
        assertEquals("ffffffff" + "00000000" + "00000000",
                HEX.formatHex(HandoffFrames.encodeResponse(HandoffFrames.Response.notServed())), "not served: exit 0xFFFFFFFF");
    }

    @Test
    void requestRoundTripKeepsEnvOrderValuesWithEqualsUtf8AndBinaryStdin() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", "ADD");
        env.put("CNI_ARGS", "K8S_POD_NAME=web;IgnoreUnknown=1");
        env.put("EMPTY", "");
        env.put("NAME", "grüße");
        byte[] stdin = new byte[70_000];
        for (int i = 0; i < stdin.length; i++) stdin[i] = (byte) i;
        HandoffFrames.Request back = HandoffFrames.readRequest(new ByteArrayInputStream(
                HandoffFrames.encodeRequest(new HandoffFrames.Request(env, stdin))));
        assertEquals(List.copyOf(env.entrySet()), List.copyOf(back.env().entrySet()));
        assertArrayEquals(stdin, back.stdin());
    }

    @Test
    void responseRoundTripThroughAStreamThatGivesOneByteAtATime() throws IOException {
        byte[] out = bytes("{\"cniVersion\":\"1.1.0\"}\n");
        byte[] frame = HandoffFrames.encodeResponse(new HandoffFrames.Response(1, out, new byte[0]));
        HandoffFrames.Response back = HandoffFrames.readResponse(trickle(frame));
        assertEquals(1, back.exit());
        assertTrue(back.served());
        assertArrayEquals(out, back.stdout());
        assertArrayEquals(new byte[0], back.stderr());
        assertFalse(HandoffFrames.readResponse(new ByteArrayInputStream(
                HandoffFrames.encodeResponse(HandoffFrames.Response.notServed()))).served());
    }

    @Test
    void theFirstOfTwoEqualKeysWinsAsWithGetenv() throws IOException {
        byte[] frame = HEX.parseHex("4a434e4931" + "00000002" + "00000003" + hex("A=1") + "00000003" + hex("A=2") + "00000000");
        assertEquals(Map.of("A", "1"), HandoffFrames.readRequest(new ByteArrayInputStream(frame)).env());
    }

    @Test
    void oversizeFramesAreRefusedOnBothSides() {
        byte[] big = new byte[HandoffFrames.MAX_FRAME];
        assertThrows(HandoffFrames.FrameException.class,
                () -> HandoffFrames.encodeRequest(new HandoffFrames.Request(Map.of(), big)), "stdin of 1 MiB plus the lengths");
        assertThrows(HandoffFrames.FrameException.class,
                () -> HandoffFrames.encodeResponse(new HandoffFrames.Response(0, big, new byte[0])));
        // Announced, not sent: refused at the length, before any of it is read.
        for (String len : List.of("00100001", "7fffffff", "ffffffff")) {
            byte[] request = HEX.parseHex("4a434e4931" + "00000000" + len);
            assertThrows(HandoffFrames.FrameException.class, () -> HandoffFrames.readRequest(new ByteArrayInputStream(request)), len);
            byte[] response = HEX.parseHex("00000000" + len);
            assertThrows(HandoffFrames.FrameException.class, () -> HandoffFrames.readResponse(new ByteArrayInputStream(response)), len);
        }
        // The limit is on the whole frame: two stdout and stderr lengths that each fit but not together.
        byte[] halves = HEX.parseHex("00000000" + "00080000" + "00".repeat(0x80000) + "00080000");
        assertThrows(HandoffFrames.FrameException.class, () -> HandoffFrames.readResponse(new ByteArrayInputStream(halves)));
        byte[] manyEnv = HEX.parseHex("4a434e4931" + "10000000");
        assertThrows(HandoffFrames.FrameException.class, () -> HandoffFrames.readRequest(new ByteArrayInputStream(manyEnv)),
                "more env entries than 1 MiB can hold");
    }

    @Test
    void everyTruncationIsAnIOException() throws IOException {
        byte[] request = HandoffFrames.encodeRequest(new HandoffFrames.Request(Map.of("CNI_COMMAND", "DEL", "X", "y"), bytes("{\"a\":1}")));
        byte[] response = HandoffFrames.encodeResponse(new HandoffFrames.Response(0, bytes("{}"), bytes("warn")));
        for (int n = 0; n < request.length; n++) {
            byte[] cut = Arrays.copyOf(request, n);
            assertThrows(IOException.class, () -> HandoffFrames.readRequest(new ByteArrayInputStream(cut)), "request cut at " + n);
        }
        for (int n = 0; n < response.length; n++) {
            byte[] cut = Arrays.copyOf(response, n);
            assertThrows(EOFException.class, () -> HandoffFrames.readResponse(new ByteArrayInputStream(cut)), "response cut at " + n);
        }
    }

    @Test
    void anotherMagicOrAMalformedEnvEntryIsRefused() {
        byte[] json = HEX.parseHex("0000000b" + hex("{\"env\":{}}"));
        assertThrows(HandoffFrames.UnknownMagicException.class, () -> HandoffFrames.readRequest(new ByteArrayInputStream(json)),
                "the length-prefixed JSON of the earlier format");
        byte[] next = HEX.parseHex("4a434e4932" + "00000000" + "00000000");
        assertThrows(HandoffFrames.UnknownMagicException.class, () -> HandoffFrames.readRequest(new ByteArrayInputStream(next)));
        for (String entry : List.of("NOEQUALS", "=value")) {
            byte[] frame = HEX.parseHex("4a434e4931" + "00000001" + "%08x".formatted(entry.length()) + hex(entry) + "00000000");
            assertThrows(HandoffFrames.FrameException.class, () -> HandoffFrames.readRequest(new ByteArrayInputStream(frame)), entry);
        }
    }

    @Test
    void anAnnouncedLengthIsNotAllocatedBeforeItsBytesArrive() {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled(),
                "skipped: this JVM does not count allocations per thread");
        int announced = HandoffFrames.MAX_FRAME - 64;
        byte[] request = HEX.parseHex("4a434e4931" + "00000000" + "%08x".formatted(announced) + "7b7d");
        byte[] response = HEX.parseHex("00000000" + "%08x".formatted(announced) + "7b7d");
        long allocated = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) { // the first rounds also pay for loading classes
            long before = mx.getCurrentThreadAllocatedBytes();
            assertThrows(EOFException.class, () -> HandoffFrames.readRequest(new ByteArrayInputStream(request)));
            assertThrows(EOFException.class, () -> HandoffFrames.readResponse(new ByteArrayInputStream(response)));
            allocated = mx.getCurrentThreadAllocatedBytes() - before;
        }
        assertTrue(allocated < announced / 8, "two frames announcing " + announced + " bytes each made the reader allocate " + allocated);
    }

    private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private static String hex(String s) { return HEX.formatHex(bytes(s)); }

    /** A stream that hands out one byte per read, as a slow socket may. */
    private static InputStream trickle(byte[] b) {
        return new InputStream() {
            private int i;

            @Override
            public int read() { return i < b.length ? b[i++] & 0xff : -1; }

            @Override
            public int read(byte[] dst, int off, int len) {
                if (len == 0) return 0;
                int c = read();
                if (c < 0) return -1;
                dst[off] = (byte) c;
                return 1;
            }
        };
    }
}
