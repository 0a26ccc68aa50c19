package dev.jcni.agent;

import dev.jcni.handoff.HandoffFrames;
import dev.jcni.plugin.JcniPlugin;
import dev.jcni.spec.Dispatcher;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The agent's side of the plugin fast path: a root-only unix socket where the plugin hands over a
 * CNI request, run here by the same {@link Dispatcher} and {@link JcniPlugin} the plugin process would
 * use, with a JVM and netlink already warm. The answer (exit code, stdout, stderr) goes back as is.
 */
public final class PluginSocketServer implements AutoCloseable {
    private final Path socket;
    private final ServerSocketChannel server;
    private final ExecutorService workers;
    private final AgentLog log = new AgentLog("plugin-socket");
    private volatile boolean closed;

    public PluginSocketServer(Path socket) throws IOException {
        this.socket = socket;
        Path dir = socket.getParent();
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Files.deleteIfExists(socket); // a stale socket of an earlier run
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        // Threads made from here inherit the agent's (the node's) network namespace.
        workers = Executors.newCachedThreadPool(r -> Thread.ofPlatform().name("plugin-call").daemon().unstarted(r));
        Thread.ofPlatform().name("plugin-socket").daemon().start(this::acceptLoop);
        log.info("plugin requests accepted on " + socket);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel ch = server.accept();
                workers.execute(() -> serve(ch));
            } catch (IOException e) {
                if (!closed) log.warn("accept: " + e.getMessage());
            }
        }
    }

    private void serve(SocketChannel ch) {
        try (ch) {
            HandoffFrames.Request req = HandoffFrames.readRequest(new DataInputStream(Channels.newInputStream(ch)));
            long t0 = System.nanoTime();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit;
            try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                 PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                exit = new Dispatcher(new JcniPlugin(e)).run(req.env(), new ByteArrayInputStream(req.stdin()), o, e);
            }
            HandoffFrames.writeResponse(new DataOutputStream(Channels.newOutputStream(ch)), new HandoffFrames.Response(
                    exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)));
            log.info("served " + req.env().get("CNI_COMMAND") + " " + req.env().get("CNI_CONTAINERID") + "/"
                    + req.env().get("CNI_IFNAME") + " (exit " + exit + ") in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        } catch (IOException | RuntimeException e) {
            log.warn("plugin request: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // closing anyway
        }
        workers.shutdown();
    }
}
