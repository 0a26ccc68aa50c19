package dev.jcni.lab;

import java.io.PrintStream;

/** Step-by-step progress on the terminal while the lab builds. */
public final class Progress {
    private final PrintStream out;
    private long started;

    public Progress(PrintStream out) { this.out = out; }

    public void step(String what) {
        started = System.nanoTime();
        out.print("  ▸ " + what + " … ");
        out.flush();
    }

    public void done(String detail) {
        out.printf("done%s (%d ms)%n", detail.isEmpty() ? "" : ": " + detail, (System.nanoTime() - started) / 1_000_000);
    }

    public void done() { done(""); }

    public void note(String line) { out.println("    " + line); }
}
