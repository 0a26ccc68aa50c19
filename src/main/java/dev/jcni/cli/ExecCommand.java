package dev.jcni.cli;

import dev.jcni.sys.Libc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code jcni --netns PATH exec -- CMD ARGS…}: replaces this process with CMD, inside the namespace
 * {@code --netns} entered. What {@code ip netns exec} does, in-process: the lab uses it to start etcd
 * in its router namespace.
 */
@Command(name = "exec", hidden = true, description = "Replace this process with a command (after --netns).")
final class ExecCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", description = "The command and its arguments.")
    List<String> command;

    @Override
    public Integer call() {
        String prog = command.getFirst();
        Path path = prog.contains("/") ? Path.of(prog) : which(prog);
        // The JVM's own descriptors (jars, sockets) must not leak into the new program.
        Libc.closeRange(3, Integer.MAX_VALUE, Libc.CLOSE_RANGE_CLOEXEC);
        Libc.execve(path.toString(), command, System.getenv());
        return 1; // not reached
    }

    private static Path which(String prog) {
        String p = System.getenv().getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : p.split(":")) {
            Path c = Path.of(dir, prog);
            if (Files.isExecutable(c)) return c;
        }
        throw new IllegalArgumentException(prog + ": not found on PATH");
    }
}
