package dev.jcni.handoff;

import dev.jcni.json.Json;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The plugin's side of the fast path: when the config names the agent's socket and the agent
 * answers there, the request runs in the agent's warm JVM. Not connected means "do it yourself";
 * connected but no answer (the agent died mid-request) is reported so the caller can say "try again".
 * The native shim ({@code src/main/c/jcni-shim.c}) makes the same three decisions; keep the two in step.
 */
public final class HandoffClient {
    public sealed interface Outcome {
        /** The agent handled it; print this. */
        record Handled(HandoffFrames.Response response) implements Outcome {}

        /** No agent there, or it did not run the request (too large, not taken, busy): run the plugin in this process. */
        record NotAvailable(String why) implements Outcome {}

        /** The agent took the request and went away: its effects are unknown. */
        record Lost(String why) implements Outcome {}
    }

    private HandoffClient() {}

    /** The {@code agentSocket} key of a config, if any (cheap: read before the plugin proper starts). */
    @SuppressWarnings("unchecked")
    public static Optional<Path> socketOf(byte[] stdin) {
        try {
            if (Json.parse(stdin) instanceof Map<?, ?> m && m.get("agentSocket") instanceof String s && !s.isEmpty()) {
                return Optional.of(Path.of(s));
            }
        } catch (RuntimeException ignored) {
            // an undecodable config is the plugin's to report, with its proper code
        }
        return Optional.empty();
    }

    /** How long the plugin waits for the agent's answer before saying "try again" (a stopped agent). */
    static final long ANSWER_TIMEOUT_MS = 60_000;

    public static Outcome send(Path socket, Map<String, String> env, byte[] stdin) {
        byte[] request;
        try {
            request = HandoffFrames.encodeRequest(new HandoffFrames.Request(env, stdin));
        } catch (HandoffFrames.FrameException tooLarge) {
            return new Outcome.NotAvailable("not handed to the agent: " + tooLarge.getMessage());
        }
        if (!Files.exists(socket)) return new Outcome.NotAvailable("no socket at " + socket);
        SocketChannel ch;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            return new Outcome.NotAvailable("agent not listening on " + socket + ": " + e.getMessage());
        }
        // A blocking unix channel has no read timeout: a watchdog closes it, which ends the read.
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(ANSWER_TIMEOUT_MS);
                ch.close();
            } catch (InterruptedException | IOException done) {
                // answered in time
            }
        });
        try (ch) {
            try {
                Channels.newOutputStream(ch).write(request);
            } catch (IOException e) {
                // The agent runs a request only once it has all of it: one it did not take was not run.
                return new Outcome.NotAvailable("the agent on " + socket + " did not take the request: " + e);
            }
            HandoffFrames.Response r = HandoffFrames.readResponse(new BufferedInputStream(Channels.newInputStream(ch)));
            if (!r.served()) return new Outcome.NotAvailable("the agent on " + socket + " did not run it (busy, or another protocol version)");
            return new Outcome.Handled(r);
        } catch (IOException | RuntimeException e) {
            return new Outcome.Lost("the agent on " + socket + " did not answer: " + e);
        } finally {
            watchdog.interrupt();
        }
    }
}
