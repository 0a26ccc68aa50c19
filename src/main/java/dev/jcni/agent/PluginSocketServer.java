package dev.jcni.agent;

import dev.jcni.handoff.HandoffFrames;
import dev.jcni.plugin.JcniPlugin;
import dev.jcni.spec.Dispatcher;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

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

    /** Requests served at once; more wait in the queue (a kubelet starts pods in bursts, not by the hundred). */
    static final int WORKERS = 16;
    /** A client must send its whole request within this time, or it is dropped. */
    static final long REQUEST_TIMEOUT_MS = 10_000;

    private final boolean testHooks;
    private final ScheduledExecutorService deadlines;

    /** @param testHooks honour JCNI_TEST_* fault hooks in requests (tests only; never in production) */
    public PluginSocketServer(Path socket, boolean testHooks) throws IOException {
        this.socket = socket;
        this.testHooks = testHooks;
        Files.createDirectories(socket.getParent());
        if (Files.exists(socket)) {
            if (answers(socket)) throw new IOException("another agent already serves " + socket);
            Files.delete(socket); // the stale socket of an earlier run
        }
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        // connect(2) on a unix socket needs write permission on it: 0600 makes it root-only.
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        // Threads made from here inherit the agent's (the node's) network namespace.
        workers = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(256),
                r -> Thread.ofPlatform().name("plugin-call").daemon().unstarted(r));
        ((ThreadPoolExecutor) workers).allowCoreThreadTimeOut(true);
        deadlines = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("plugin-deadline").daemon().unstarted(r));
        Thread.ofPlatform().name("plugin-socket").daemon().start(this::acceptLoop);
        log.info("plugin requests accepted on " + socket);
    }

    private static boolean answers(Path socket) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel ch = server.accept();
                try {
                    workers.execute(() -> serve(ch));
                } catch (java.util.concurrent.RejectedExecutionException full) {
                    notServed(ch); // the plugin runs the request itself
                }
            } catch (IOException e) {
                if (!closed) log.warn("accept: " + e.getMessage());
            }
        }
    }

    private void serve(SocketChannel ch) {
        try (ch) {
            // A client that never finishes its request is cut off instead of holding a worker.
            var deadline = deadlines.schedule(() -> { ch.close(); return null; }, REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            HandoffFrames.Request req;
            try {
                req = HandoffFrames.readRequest(new BufferedInputStream(Channels.newInputStream(ch)));
            } catch (HandoffFrames.UnknownMagicException e) {
                log.warn("plugin request in another format (" + e.getMessage() + "): told the plugin to run it itself");
                notServed(ch);
                return;
            } finally {
                deadline.cancel(false);
            }
            if (!testHooks) req = new HandoffFrames.Request(withoutTestHooks(req.env()), req.stdin());
            long t0 = System.nanoTime();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit;
            try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                 PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                exit = new Dispatcher(new JcniPlugin(e)).run(req.env(), new ByteArrayInputStream(req.stdin()), o, e);
            }
            Channels.newOutputStream(ch).write(HandoffFrames.encodeResponse(
                    new HandoffFrames.Response(exit, out.toByteArray(), err.toByteArray())));
            log.info("served " + req.env().get("CNI_COMMAND") + " " + req.env().get("CNI_CONTAINERID") + "/"
                    + req.env().get("CNI_IFNAME") + " (exit " + exit + ") in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        } catch (Throwable e) { // never let one request take a worker (or the agent) down
            log.warn("plugin request: " + e);
        }
    }

    /** Answers "not run: do it yourself" (a dozen bytes: they fit the socket's buffer, so this never blocks). */
    private void notServed(SocketChannel ch) {
        try (ch) {
            Channels.newOutputStream(ch).write(HandoffFrames.encodeResponse(HandoffFrames.Response.notServed()));
        } catch (IOException e) {
            log.warn("plugin request not served, and the plugin could not be told: " + e.getMessage());
        }
    }

    private static java.util.Map<String, String> withoutTestHooks(java.util.Map<String, String> env) {
        java.util.Map<String, String> clean = new java.util.LinkedHashMap<>(env);
        clean.keySet().removeIf(k -> k.startsWith("JCNI_TEST_"));
        return clean;
    }

    /** Stops accepting, lets requests in flight finish (an ADD cut in half helps no one), then goes. */
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
        try {
            workers.awaitTermination(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deadlines.shutdownNow();
    }
}
