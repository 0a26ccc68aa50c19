package dev.jcni.cli;

import dev.jcni.sys.ErrnoException;
import dev.jcni.sys.Libc;

import java.util.Arrays;

/**
 * {@code jcni --netns PATH …} (or JCNI_NETNS=PATH): run the whole process inside that network
 * namespace, as {@code ip netns exec} would, without a child process. The main thread switches before
 * anything else starts; every thread it creates afterwards (the agent's loop, HTTP server, clients)
 * inherits the namespace.
 */
final class NetnsOption {
    private NetnsOption() {}

    static String[] enter(String[] args) {
        String path = System.getenv("JCNI_NETNS");
        String[] rest = args;
        if (args.length >= 2 && args[0].equals("--netns")) {
            path = args[1];
            rest = Arrays.copyOfRange(args, 2, args.length);
        } else if (args.length >= 1 && args[0].startsWith("--netns=")) {
            path = args[0].substring("--netns=".length());
            rest = Arrays.copyOfRange(args, 1, args.length);
        }
        if (path == null || path.isEmpty()) return rest;
        try {
            int fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC);
            Libc.setns(fd, Libc.CLONE_NEWNET);
            Libc.close(fd);
        } catch (ErrnoException e) {
            System.err.println("jcni: cannot enter network namespace " + path + ": " + e.getMessage());
            System.exit(1);
        }
        return rest;
    }
}
