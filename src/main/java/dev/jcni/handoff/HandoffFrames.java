package dev.jcni.handoff;

import dev.jcni.json.Json;
import dev.jcni.json.JsonObject;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The wire format between the plugin and the agent: one length-prefixed JSON frame each way.
 * Request {@code {"env":{…},"stdin":base64}}; response {@code {"exit":n,"stdout":…,"stderr":…}}.
 */
public final class HandoffFrames {
    /** A CNI config with a large prevResult is a few KiB; anything near this is not a plugin talking. */
    static final int MAX_FRAME = 1 << 20;

    public record Request(Map<String, String> env, byte[] stdin) {}

    public record Response(int exit, String stdout, String stderr) {}

    private HandoffFrames() {}

    public static void writeRequest(DataOutputStream out, Request r) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("env", r.env());
        m.put("stdin", Base64.getEncoder().encodeToString(r.stdin()));
        write(out, Json.write(m));
    }

    public static Request readRequest(DataInputStream in) throws IOException {
        JsonObject o = JsonObject.parse(read(in));
        Map<String, String> env = new LinkedHashMap<>();
        o.obj("env").map().forEach((k, v) -> env.put(k, String.valueOf(v)));
        return new Request(env, Base64.getDecoder().decode(o.str("stdin")));
    }

    public static void writeResponse(DataOutputStream out, Response r) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("exit", r.exit());
        m.put("stdout", r.stdout());
        m.put("stderr", r.stderr());
        write(out, Json.write(m));
    }

    public static Response readResponse(DataInputStream in) throws IOException {
        JsonObject o = JsonObject.parse(read(in));
        return new Response(o.integer("exit"), o.str("stdout"), o.str("stderr"));
    }

    private static void write(DataOutputStream out, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
        out.flush();
    }

    private static String read(DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len < 0 || len > MAX_FRAME) throw new IOException("frame of " + len + " bytes");
        // Read what arrives rather than allocating the announced size up front.
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream(Math.min(len, 64 << 10));
        byte[] chunk = new byte[8192];
        int left = len;
        while (left > 0) {
            int n = in.read(chunk, 0, Math.min(chunk.length, left));
            if (n < 0) throw new EOFException("frame ends " + left + " bytes short");
            buf.write(chunk, 0, n);
            left -= n;
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    static boolean isEof(IOException e) { return e instanceof EOFException; }
}
