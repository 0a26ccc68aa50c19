package dev.jcni.plugin;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/** The plugin's log: stderr always (runtimes keep it), and the configured logFile when there is one. */
public final class PluginLog {
    private final PrintStream stderr;
    private final String context;
    private volatile Path file;

    public PluginLog(PrintStream stderr, String context) {
        this.stderr = stderr;
        this.context = context;
    }

    public void toFile(Path logFile) { this.file = logFile; }

    public void info(String msg) { write("INFO", msg); }

    public void warn(String msg) { write("WARN", msg); }

    private void write(String level, String msg) {
        String line = Instant.now() + " " + level + " jcni[" + ProcessHandle.current().pid() + "] " + context + ": " + msg;
        stderr.println(line);
        Path f = file;
        if (f == null) return;
        try {
            if (f.getParent() != null) Files.createDirectories(f.getParent());
            Files.writeString(f, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            stderr.println("jcni: cannot write log file " + f + ": " + e.getMessage());
        }
    }
}
