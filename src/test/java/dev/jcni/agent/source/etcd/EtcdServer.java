package dev.jcni.agent.source.etcd;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway single-member etcd on loopback: random free ports, its own data dir, killed on close
 * (and by a shutdown hook if the JVM dies first). Skips the test when etcd is not installed.
 */
final class EtcdServer implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/etcd");

    private final Path dir;
    private final int clientPort;
    private final int peerPort;
    private final Thread reaper = new Thread(this::kill, "etcd-test-reaper");
    private Process process;

    private EtcdServer(Path dir, int clientPort, int peerPort) {
        this.dir = dir;
        this.clientPort = clientPort;
        this.peerPort = peerPort;
    }

    /** Starts etcd with its data under {@code dir} and waits until it is healthy. */
    static EtcdServer start(Path dir) {
        Assumptions.assumeTrue(Files.isExecutable(BINARY), EtcdInstalled.WHY_NOT);
        int[] ports = freePorts();
        EtcdServer s = new EtcdServer(dir, ports[0], ports[1]);
        Runtime.getRuntime().addShutdownHook(s.reaper);
        try {
            s.launch();
        } catch (RuntimeException | Error e) {
            s.close();
            throw e;
        }
        return s;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + clientPort);
    }

    /** SIGKILL, as a crash would; the data dir stays. */
    void kill() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts again on the same ports and data dir. */
    void restart() {
        kill();
        launch();
    }

    @Override
    public void close() {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook runs anyway
        }
    }

    private void launch() {
        String peer = "http://127.0.0.1:" + peerPort;
        String client = endpoint().toString();
        List<String> cmd = List.of(BINARY.toString(),
                "--name", "jcni-test",
                "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", client,
                "--advertise-client-urls", client,
                "--listen-peer-urls", peer,
                "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "jcni-test=" + peer,
                "--initial-cluster-state", "new");
        try {
            process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("etcd.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + BINARY, e);
        }
        awaitHealthy();
    }

    private void awaitHealthy() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest req = HttpRequest.newBuilder(endpoint().resolve("/health")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("etcd exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                last = r.statusCode() + " " + r.body();
                if (r.statusCode() == 200 && r.body().replace(" ", "").contains("\"health\":\"true\"")) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for etcd", e);
            }
            sleep(100);
        }
        throw new AssertionError("etcd not healthy after 20s (" + last + "):\n" + logTail());
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("etcd.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static int[] freePorts() {
        try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket b = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new int[] {a.getLocalPort(), b.getLocalPort()};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
