package dev.jcni.plugin;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Where an ADD's time goes, printed to stderr when JCNI_TIMING is set: from process start to main
 * (JVM start and class loading), then each step. Costs nothing when off.
 */
public final class PhaseTimer {
    public static final String ENV = "JCNI_TIMING";

    private final PrintStream err;
    private final boolean on;
    private long last = System.nanoTime();
    private final StringBuilder line = new StringBuilder();

    public PhaseTimer(Map<String, String> env, PrintStream err) {
        this.err = err;
        this.on = env.containsKey(ENV);
        if (on) {
            Instant started = ProcessHandle.current().info().startInstant().orElse(Instant.now());
            line.append("start→plugin ").append(Duration.between(started, Instant.now()).toMillis()).append("ms");
        }
    }

    public void mark(String phase) {
        if (!on) return;
        long now = System.nanoTime();
        line.append(", ").append(phase).append(' ').append(String.format("%.1f", (now - last) / 1e6)).append("ms");
        last = now;
    }

    public void print(String verb) {
        if (on) err.println("jcni timing " + verb + ": " + line);
    }
}
