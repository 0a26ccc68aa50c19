package dev.jcni.testing;

import dev.jcni.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * A lab (dist/bin/jcni lab up) as a multi-node test bed: unique prefix and directory, always torn
 * down. Tests reach into its namespaces with ip/ping (tests may; the product may not).
 */
public final class LabRun implements AutoCloseable {
    public final String prefix;
    public final Path dir;

    public LabRun(Path tmp) {
        prefix = "jt" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36, 36 * 36 * 36 * 36), 36);
        dir = tmp.resolve("lab-" + prefix);
    }

    public Sh.Result jcni(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Dist.jcni().toString()));
        cmd.addAll(List.of(args));
        return Sh.run(cmd, null);
    }

    /** lab up with the given extra flags; fails the test unless every cell passed. */
    public Sh.Result up(String... flags) {
        List<String> args = new ArrayList<>(List.of("lab", "up", "--lab-dir", dir.toString(), "--prefix", prefix));
        args.addAll(List.of(flags));
        Sh.Result r = jcni(args.toArray(String[]::new));
        System.out.println(r.out());
        if (r.exit() != 0) throw new AssertionError("lab up failed:\n" + r.out() + r.err());
        return r;
    }

    public String ns(String suffix) { return prefix + "-" + suffix; }

    public Path conflist(String node) { return dir.resolve(node).resolve("net.d/10-jcni.conflist"); }

    public JsonObject lab() {
        try {
            return JsonObject.parse(Files.readString(dir.resolve("lab.json")));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    public String podIp(String pod) {
        return lab().optObjectList("pods").orElseThrow().stream().filter(p -> p.str("name").equals(pod)).findFirst()
                .orElseThrow().str("ip");
    }

    public long agentPid(String node) {
        return lab().optObjectList("nodes").orElseThrow().stream().filter(n -> n.str("name").equals(node)).findFirst()
                .orElseThrow().optLong("agentPid").orElseThrow();
    }

    /** ping from a namespace; true when answered. */
    public boolean ping(String fromNs, String ip, String... extra) { return Sh.ping(fromNs, ip, extra); }

    public static void await(String what, int seconds, BooleanSupplier cond) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (cond.getAsBoolean()) return;
            try { Thread.sleep(200); } catch (InterruptedException e) { Thread.currentThread().interrupt(); return; }
        }
        throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
    }

    @Override
    public void close() {
        Sh.Result r = jcni("lab", "down", "--lab-dir", dir.toString(), "--prefix", prefix);
        if (r.exit() != 0) System.err.println("lab down: " + r.out() + r.err());
    }
}
