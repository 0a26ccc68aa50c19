package dev.jcni.plugin;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The rollback stack of one verb: each step registers how to undo itself before the next step runs.
 * Closing without {@link #commit()} undoes everything, newest first, and keeps going past failures.
 */
public final class Undo implements AutoCloseable {
    public interface Action { void run() throws Exception; }

    private final Deque<Runnable> steps = new ArrayDeque<>();
    private final PluginLog log;
    private boolean committed;

    public Undo(PluginLog log) { this.log = log; }

    public void push(String what, Action action) {
        steps.push(() -> {
            try {
                action.run();
            } catch (Exception e) {
                log.warn("rollback of " + what + " failed: " + e.getMessage());
            }
        });
    }

    public void commit() { committed = true; }

    @Override
    public void close() {
        if (committed) return;
        while (!steps.isEmpty()) steps.pop().run();
    }
}
