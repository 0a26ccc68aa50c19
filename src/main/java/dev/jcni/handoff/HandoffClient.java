package dev.jcni.handoff;

import dev.jcni.json.Json;

import java.io.DataInputStream;
import java.io.DataOutputStream;
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
 */
public final class HandoffClient {
    public sealed interface Outcome {
        /** The agent handled it; print this. */
        record Handled(HandoffFrames.Response response) implements Outcome {}

        /** No agent there: run the plugin in this process. */
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
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(ch));
            HandoffFrames.writeRequest(out, new HandoffFrames.Request(env, stdin));
            DataInputStream in = new DataInputStream(Channels.newInputStream(ch));
            return new Outcome.Handled(HandoffFrames.readResponse(in));
        } catch (IOException | RuntimeException e) {
            return new Outcome.Lost("the agent on " + socket + " did not answer: " + e);
        } finally {
            watchdog.interrupt();
        }
    }
}
