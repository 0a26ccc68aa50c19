package dev.jcni.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command for a test (tests may use ip, the product may not). */
public final class Sh {
    public record Result(int exit, String out, String err) {
        public Result ok() {
            if (exit != 0) throw new AssertionError("exit " + exit + ": " + err + out);
            return this;
        }
    }

    private Sh() {}

    public static Result run(String... cmd) { return run(List.of(cmd), null); }

    public static Result run(List<String> cmd, String stdin) {
        Path err = null;
        try {
            err = Files.createTempFile("jcni-sh", ".err");
            Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectError(err.toFile()).start();
            if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timeout: " + cmd);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), Files.readString(err));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            if (err != null) try { Files.deleteIfExists(err); } catch (IOException ignored) { }
        }
    }

    /** ping from a namespace, up to 3 tries (the first may wait for ARP); true when answered. */
    public static boolean ping(String fromNs, String ip, String... extra) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", fromNs, "ping", "-c", "1", "-W", "2"));
        cmd.addAll(List.of(extra));
        cmd.add(ip);
        for (int i = 0; i < 3; i++) if (run(cmd, null).exit() == 0) return true;
        return false;
    }

    /** {@code ip -n NS ARGS...} */
    public static Result ip(String ns, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
        cmd.addAll(List.of(args));
        return run(cmd, null);
    }
}
