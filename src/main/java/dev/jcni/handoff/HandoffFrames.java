package dev.jcni.handoff;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The wire format between the plugin (the native shim {@code src/main/c/jcni-shim.c}, or
 * {@link HandoffClient}) and the agent: plain length-prefixed bytes, simple to speak from C.
 * All integers are unsigned 32-bit big-endian ({@code u32}).
 *
 * <pre>
 * request:  "JCNI1"  u32 n  (u32 len, "KEY=VALUE" bytes) × n  u32 len, stdin bytes
 * response: u32 exit  u32 len, stdout bytes  u32 len, stderr bytes
 * </pre>
 *
 * <p>The bytes after the magic of a request, and the whole response, are at most {@link #MAX_FRAME}
 * bytes; a reader rejects more as soon as a length announces it, and reads what arrives rather than
 * allocating an announced size up front. A response whose exit is {@link #NOT_SERVED} (0xFFFFFFFF) means
 * "not run: do it yourself": the agent sends it when it is busy or does not speak the request's magic.
 */
public final class HandoffFrames {
    /** A CNI config with a large prevResult is a few KiB; anything near this is not a plugin talking. */
    static final int MAX_FRAME = 1 << 20;
    /** The request's first bytes: the format and its version. */
    static final byte[] MAGIC = "JCNI1".getBytes(StandardCharsets.US_ASCII);
    /** The exit of a response that says the request was not run (u32 0xFFFFFFFF). */
    public static final int NOT_SERVED = -1;

    /** One CNI call: the caller's environment (KEY=VALUE, first one wins) and its stdin. */
    public record Request(Map<String, String> env, byte[] stdin) {}

    /** What the call printed and returned; the arrays are the record's own, not copies. */
    public record Response(int exit, byte[] stdout, byte[] stderr) {
        public static Response notServed() { return new Response(NOT_SERVED, new byte[0], new byte[0]); }

        public boolean served() { return exit != NOT_SERVED; }
    }

    /** Input that is not a frame of this format: too large, corrupt, or cut short. */
    public static class FrameException extends IOException {
        FrameException(String msg) { super(msg); }
    }

    /** A request that does not start with {@link #MAGIC}: another protocol, or another version of this one. */
    public static final class UnknownMagicException extends FrameException {
        UnknownMagicException(String msg) { super(msg); }
    }

    private HandoffFrames() {}

    public static byte[] encodeRequest(Request r) throws FrameException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(256 + r.stdin().length);
        buf.writeBytes(MAGIC);
        DataOutputStream out = new DataOutputStream(buf);
        try {
            out.writeInt(r.env().size());
            for (Map.Entry<String, String> e : r.env().entrySet()) {
                lengthPrefixed(out, (e.getKey() + "=" + e.getValue()).getBytes(StandardCharsets.UTF_8));
            }
            lengthPrefixed(out, r.stdin());
        } catch (IOException impossible) {
            throw new AssertionError(impossible); // a ByteArrayOutputStream does not fail
        }
        int body = buf.size() - MAGIC.length;
        if (body > MAX_FRAME) throw new FrameException("request of " + body + " bytes (at most " + MAX_FRAME + ")");
        return buf.toByteArray();
    }

    public static Request readRequest(InputStream in) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        int got = in.readNBytes(magic, 0, magic.length);
        if (got == 0) throw new EOFException("no request");
        if (got < magic.length || !Arrays.equals(magic, MAGIC)) {
            throw new UnknownMagicException("not a " + new String(MAGIC, StandardCharsets.US_ASCII) + " request (starts "
                    + hex(Arrays.copyOf(magic, got)) + ")");
        }
        Reader r = new Reader(in, "request");
        int n = r.u32("env count");
        // Every entry takes at least its 4-byte length: a count beyond that is a lie, told before any allocation.
        if (Integer.toUnsignedLong(n) > r.left / 4) throw new FrameException("request announces " + Integer.toUnsignedString(n) + " env entries");
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String entry = new String(r.bytes("env entry " + i), StandardCharsets.UTF_8);
            int eq = entry.indexOf('=');
            if (eq <= 0) throw new FrameException("env entry " + i + " is not KEY=VALUE");
            env.putIfAbsent(entry.substring(0, eq), entry.substring(eq + 1));
        }
        return new Request(env, r.bytes("stdin"));
    }

    public static byte[] encodeResponse(Response r) throws FrameException {
        long size = 12L + r.stdout().length + r.stderr().length;
        if (size > MAX_FRAME) throw new FrameException("response of " + size + " bytes (at most " + MAX_FRAME + ")");
        ByteArrayOutputStream buf = new ByteArrayOutputStream((int) size);
        DataOutputStream out = new DataOutputStream(buf);
        try {
            out.writeInt(r.exit());
            lengthPrefixed(out, r.stdout());
            lengthPrefixed(out, r.stderr());
        } catch (IOException impossible) {
            throw new AssertionError(impossible);
        }
        return buf.toByteArray();
    }

    public static Response readResponse(InputStream in) throws IOException {
        Reader r = new Reader(in, "response");
        int exit = r.u32("exit");
        byte[] stdout = r.bytes("stdout");
        return new Response(exit, stdout, r.bytes("stderr"));
    }

    private static void lengthPrefixed(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) s.append(String.format("%02x", x & 0xff));
        return s.isEmpty() ? "empty" : s.toString();
    }

    /** Reads one frame's fields from a stream, counting every byte against {@link #MAX_FRAME}. */
    private static final class Reader {
        private final InputStream in;
        private final String frame;
        private long left = MAX_FRAME;

        Reader(InputStream in, String frame) {
            this.in = in;
            this.frame = frame;
        }

        int u32(String field) throws IOException {
            take(4, field);
            byte[] b = in.readNBytes(4);
            if (b.length < 4) throw new EOFException(frame + " ends inside " + field);
            return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
        }

        byte[] bytes(String field) throws IOException {
            long len = Integer.toUnsignedLong(u32(field + " length"));
            take(len, field);
            // Grow with what arrives: an announced length costs nothing until its bytes are here.
            ByteArrayOutputStream buf = new ByteArrayOutputStream((int) Math.min(len, 8192));
            byte[] chunk = new byte[(int) Math.min(len, 8192)];
            long missing = len;
            while (missing > 0) {
                int n = in.read(chunk, 0, (int) Math.min(chunk.length, missing));
                if (n < 0) throw new EOFException(frame + " ends " + missing + " bytes short in " + field);
                buf.write(chunk, 0, n);
                missing -= n;
            }
            return buf.toByteArray();
        }

        private void take(long n, String field) throws FrameException {
            if (n > left) throw new FrameException(frame + " larger than " + MAX_FRAME + " bytes (" + field + " of " + n + ")");
            left -= n;
        }
    }
}
