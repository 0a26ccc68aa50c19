package dev.jcni.spec;

import dev.jcni.json.Json;
import dev.jcni.json.JsonException;
import dev.jcni.json.JsonFieldException;
import dev.jcni.json.JsonObject;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a delegate plugin (IPAM such as host-local, or a chained plugin): {@code CNI_PATH/<type>} with the
 * caller's environment, CNI_COMMAND replaced, and the delegate's config on stdin (cf. libcni invoke).
 * A delegate's error JSON is rethrown as a {@link CniException} with the same code, msg and details.
 * Note: the child inherits the calling thread's network namespace, so call it from the host netns.
 */
public final class PluginInvoker {
    private final PrintStream stderr;

    /** Delegate stderr is copied to this process's stderr. */
    public PluginInvoker() {
        this(System.err);
    }

    /** Delegate stderr is copied to {@code stderr} (it is only informational). */
    public PluginInvoker(PrintStream stderr) {
        this.stderr = stderr;
    }

    public Result delegateAdd(String type, CniRequest req, byte[] config) {
        byte[] out = exec(Command.ADD, type, req, config);
        try {
            return Result.fromJson(JsonObject.parse(out));
        } catch (JsonException | JsonFieldException e) {
            throw CniException.decodeFailure("failed to decode the result of delegate plugin \"" + type + "\"",
                    e.getMessage());
        }
    }

    public void delegateDel(String type, CniRequest req, byte[] config) {
        exec(Command.DEL, type, req, config);
    }

    public void delegateCheck(String type, CniRequest req, byte[] config) {
        exec(Command.CHECK, type, req, config);
    }

    public void delegateStatus(String type, CniRequest req, byte[] config) {
        exec(Command.STATUS, type, req, config);
    }

    public void delegateGc(String type, CniRequest req, byte[] config) {
        exec(Command.GC, type, req, config);
    }

    /** The first executable {@code type} in {@code dirs}; a type with a path separator is refused. */
    public static Path find(String type, List<String> dirs) {
        if (type == null || type.isEmpty() || type.contains("/") || type.equals(".") || type.equals("..")) {
            throw CniException.invalidConfig("type", "invalid plugin type \"" + type + "\"");
        }
        for (String dir : dirs) {
            Path candidate = Path.of(dir, type);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new CniException(ErrorCode.INVALID_NETWORK_CONFIG,
                "failed to find plugin \"" + type + "\" in path " + dirs, "");
    }

    /** Runs the delegate and returns its stdout; a non-zero exit is rethrown as its CniException. */
    private byte[] exec(Command command, String type, CniRequest req, byte[] config) {
        Path executable = find(type, req.cniPath());
        ProcessBuilder pb = new ProcessBuilder(executable.toString());
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(req.env());
        env.put(CniEnvVar.COMMAND.varName(), command.name());
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw CniException.ioFailure("failed to start delegate plugin " + executable, e);
        }
        // stdin, stdout and stderr are pumped concurrently so a chatty child can never fill a pipe and deadlock.
        byte[] out;
        byte[] err;
        int exit;
        try (ExecutorService pumps = Executors.newVirtualThreadPerTaskExecutor()) {
            try {
                pumps.submit(() -> writeStdin(process.getOutputStream(), config));
                Future<byte[]> errors = pumps.submit(() -> process.getErrorStream().readAllBytes());
                out = process.getInputStream().readAllBytes();
                exit = process.waitFor();
                err = errors.get();
            } catch (IOException | ExecutionException e) {
                // killed before the executor closes, so no pump is left waiting on a live child
                process.destroyForcibly();
                throw CniException.ioFailure("failed to talk to delegate plugin " + executable, e);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw CniException.ioFailure("interrupted while waiting for delegate plugin " + executable, e);
            }
        }
        if (err.length > 0) {
            stderr.write(err, 0, err.length);
            stderr.flush();
        }
        if (exit != 0) {
            throw delegateError(type, exit, out, err);
        }
        return out;
    }

    private static CniException delegateError(String type, int exit, byte[] stdout, byte[] stderr) {
        try {
            JsonObject error = JsonObject.parse(stdout);
            return new CniException(error.integer("code"), error.optStr("msg").orElse(""),
                    error.optStr("details").orElse(""));
        } catch (JsonException | JsonFieldException unparseable) {
            String output = new String(stdout.length > 0 ? stdout : stderr, StandardCharsets.UTF_8).strip();
            return new CniException(ErrorCode.INTERNAL,
                    "delegate plugin \"" + type + "\" failed with exit code " + exit + " and no valid error JSON",
                    output);
        }
    }

    private static void writeStdin(OutputStream in, byte[] config) {
        try (in) {
            in.write(config);
        } catch (IOException ignored) {
            // the delegate may exit without reading stdin; its exit code tells what happened
        }
    }
}
