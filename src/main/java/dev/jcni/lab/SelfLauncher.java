package dev.jcni.lab;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code jcni} launcher of this installation, to start agents and plugin calls in namespaces. */
public final class SelfLauncher {
    private SelfLauncher() {}

    /** JCNI_LAUNCHER if set, else bin/jcni beside the lib/ that holds the running jar. */
    public static Path path() {
        String env = System.getenv("JCNI_LAUNCHER");
        if (env != null && !env.isEmpty()) return Path.of(env);
        try {
            Path jar = Path.of(SelfLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path launcher = jar.getParent().getParent().resolve("bin/jcni");
            if (Files.isExecutable(launcher)) return launcher;
            throw new IllegalStateException("no launcher at " + launcher + "; set JCNI_LAUNCHER");
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
