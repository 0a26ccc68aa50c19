package dev.jcni.agent.netfilter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@link CommandRunner} over {@link ProcessBuilder}; stdin, stdout and stderr are pumped concurrently. */
final class ProcessCommandRunner implements CommandRunner {
    /** nft and iptables finish in milliseconds; a hang (a held xtables lock, say) must not wedge the agent. */
    private static final long TIMEOUT_SECONDS = 60;
    /** Agents started by systemd or a container often lack the sbin directories in PATH. */
    private static final List<String> SBIN = List.of("/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin");

    private final List<String> prefix;

    ProcessCommandRunner(List<String> prefix) {
        this.prefix = List.copyOf(prefix);
    }

    @Override
    public Optional<String> locate(String name) {
        if (name.isEmpty() || name.contains("/")) return Optional.empty();
        Set<String> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(":")) if (!d.isEmpty()) dirs.add(d);
        }
        dirs.addAll(SBIN);
        for (String d : dirs) {
            Path candidate = Path.of(d, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath().toString());
            }
        }
        return Optional.empty();
    }

    @Override
    public CommandResult run(List<String> argv, String stdin) {
        List<String> full = new ArrayList<>(prefix);
        full.addAll(argv);
        Process p;
        try {
            p = new ProcessBuilder(full).start();
        } catch (IOException e) {
            throw NetfilterException.didNotRun("start", full, e);
        }
        try (ExecutorService pumps = Executors.newVirtualThreadPerTaskExecutor()) {
            try {
                Future<?> in = pumps.submit(() -> feed(p.getOutputStream(), stdin));
                Future<String> out = pumps.submit(() -> drain(p.getInputStream()));
                Future<String> err = pumps.submit(() -> drain(p.getErrorStream()));
                if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw NetfilterException.didNotRun("wait",
                            full, new TimeoutException("no exit after " + TIMEOUT_SECONDS + "s; killed"));
                }
                in.get();
                return new CommandResult(full, p.exitValue(), out.get(), err.get());
            } catch (ExecutionException e) {
                p.destroyForcibly();
                throw NetfilterException.didNotRun("talk to", full, e.getCause());
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw NetfilterException.didNotRun("wait for", full, e);
            }
        }
    }

    private static Void feed(OutputStream in, String stdin) throws IOException {
        try (in) {
            if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // A tool that exits before reading its stdin closes the pipe; its exit status tells what happened.
            if (!"Broken pipe".equals(e.getMessage()) && !"Stream closed".equals(e.getMessage())) throw e;
        }
        return null;
    }

    private static String drain(InputStream s) throws IOException {
        try (s) {
            return new String(s.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
