package dev.jcni.agent;

import java.time.Instant;

/** The agent's log: one line per event, on stderr. */
public final class AgentLog {
    private final String component;

    public AgentLog(String component) { this.component = component; }

    public void info(String msg) { line("INFO", msg); }

    public void warn(String msg) { line("WARN", msg); }

    private void line(String level, String msg) {
        System.err.println(Instant.now() + " " + level + " " + component + ": " + msg);
    }
}
