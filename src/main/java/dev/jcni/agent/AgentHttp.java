package dev.jcni.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** /healthz (the process serves), /readyz (conflist written and a reconcile succeeded), /metrics, /status. */
public final class AgentHttp implements AutoCloseable {
    private final HttpServer server;

    public AgentHttp(InetSocketAddress addr, Supplier<Boolean> ready, AgentMetrics metrics, Supplier<String> statusJson)
            throws IOException {
        server = HttpServer.create(addr, 16);
        server.createContext("/healthz", ex -> reply(ex, 200, "ok\n", "text/plain"));
        server.createContext("/readyz", ex -> {
            boolean r = ready.get();
            reply(ex, r ? 200 : 503, r ? "ready\n" : "not ready\n", "text/plain");
        });
        server.createContext("/metrics", ex -> reply(ex, 200, metrics.scrape(), "text/plain; version=0.0.4; charset=utf-8"));
        server.createContext("/status", ex -> reply(ex, 200, statusJson.get(), "application/json"));
        server.setExecutor(null);
        server.start();
    }

    public int port() { return server.getAddress().getPort(); }

    private static void reply(HttpExchange ex, int code, String body, String type) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(code, b.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
        }
    }

    @Override
    public void close() { server.stop(0); }
}
