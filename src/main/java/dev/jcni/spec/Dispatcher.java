package dev.jcni.spec;

import dev.jcni.json.Json;
import dev.jcni.json.JsonFieldException;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one CNI invocation (cf. skel's dispatcher): validates the environment, decodes the config, checks
 * version compatibility, calls the {@link Plugin} verb and prints its result. Every failure becomes one
 * error JSON on stdout and exit code 1; stack traces only ever go to stderr.
 */
public final class Dispatcher {
    private final Plugin plugin;

    public Dispatcher(Plugin plugin) {
        this.plugin = plugin;
    }

    /** Returns the process exit code: 0 on success, 1 after printing an error. */
    public int run(Map<String, String> env, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        String errorVersion = CniVersion.LATEST.toString();
        try {
            CniEnv cniEnv = CniEnv.parse(env);
            if (cniEnv.command() == Command.VERSION) {
                print(stdout, VersionInfo.answer(readVersionRequest(stdin), plugin.supportedVersions()));
                return 0;
            }
            byte[] input = readAll(stdin);
            Map<String, Object> raw = NetConf.decode(input);
            errorVersion = NetConf.versionHint(raw).orElse(errorVersion);
            NetConf conf = NetConf.fromJson(raw);
            checkVersion(cniEnv.command(), conf.cniVersion());
            Optional<Object> output = invoke(CniRequest.of(cniEnv, conf, input, env));
            if (output.isPresent()) {
                print(stdout, output.get());
            }
            return 0;
        } catch (CniException e) {
            return fail(e, errorVersion, stdout);
        } catch (JsonFieldException e) {
            // a plugin reading its own keys through NetConf.json() hit a wrongly typed or missing key
            return fail(CniException.invalidConfig(e), errorVersion, stdout);
        } catch (Throwable t) {
            t.printStackTrace(stderr);
            stderr.flush();
            return fail(CniException.internal(t), errorVersion, stdout);
        }
    }

    private void checkVersion(Command command, CniVersion version) {
        List<String> supported = plugin.supportedVersions();
        if (!supported.contains(version.toString())) {
            throw CniException.incompatibleVersion("incompatible CNI versions: config is " + version,
                    "plugin supports " + supported);
        }
        if (!version.atLeast(command.since())) {
            throw CniException.incompatibleVersion("config version " + version + " does not allow " + command
                    + " (it needs " + command.since() + " or later)", "");
        }
    }

    /** Calls the verb; the value is what to print, empty for verbs that print nothing on success. */
    private Optional<Object> invoke(CniRequest req) {
        return switch (req.command()) {
            case ADD -> Optional.of(added(plugin.add(req)).toJson(req.cniVersion()));
            case DEL -> silent(() -> plugin.del(req));
            case CHECK -> silent(() -> plugin.check(req));
            case STATUS -> silent(() -> plugin.status(req));
            case GC -> silent(() -> plugin.gc(req));
            case VERSION -> throw new IllegalStateException("VERSION is answered before dispatch");
        };
    }

    private static Result added(Result result) {
        if (result == null) {
            throw new IllegalStateException("plugin ADD returned no result");
        }
        return result;
    }

    private static Optional<Object> silent(Runnable verb) {
        verb.run();
        return Optional.empty();
    }

    private static byte[] readAll(InputStream stdin) {
        try {
            return stdin.readAllBytes();
        } catch (IOException e) {
            throw CniException.ioFailure("error reading network config from stdin", e);
        }
    }

    /** VERSION must answer even when stdin is empty or unreadable. */
    private static byte[] readVersionRequest(InputStream stdin) {
        try {
            return stdin.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static int fail(CniException e, String cniVersion, PrintStream stdout) {
        print(stdout, e.toJson(cniVersion));
        return 1;
    }

    // Rendered to a string first, so a value that fails to serialize never leaves half a document on stdout.
    private static void print(PrintStream stdout, Object json) {
        byte[] bytes = (Json.pretty(json) + "\n").getBytes(StandardCharsets.UTF_8);
        stdout.write(bytes, 0, bytes.length);
        stdout.flush();
    }
}
