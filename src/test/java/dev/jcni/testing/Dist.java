package dev.jcni.testing;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the built distribution is: {@code dist/} (system property jcni.dist, set by the POM), and ../shared. */
public final class Dist {
    private Dist() {}

    public static Path home() {
        return Path.of(System.getProperty("jcni.dist", "dist")).toAbsolutePath();
    }

    /** dist/bin/jcni; aborts the test (with the reason) when the build has not produced it. */
    public static Path jcni() {
        Path p = home().resolve("bin/jcni");
        Assumptions.assumeTrue(Files.isExecutable(p), "skipped: " + p + " is not built (run mvn verify, not mvn test)");
        return p;
    }

    /** The shared tools folder beside the checkout (cniclient, podman-cni). */
    public static Path shared() {
        return Path.of(System.getProperty("jcni.shared", "../shared")).toAbsolutePath().normalize();
    }

    /** The reference plugins from Debian's containernetworking-plugins. */
    public static Path referencePlugins() { return Path.of("/usr/lib/cni"); }
}
