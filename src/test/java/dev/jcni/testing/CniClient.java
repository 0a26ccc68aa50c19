package dev.jcni.testing;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** ../shared/tools/cniclient (libcni, as containerd and CRI-O embed it), built once per test JVM. */
public final class CniClient {
    private static Path built;

    private CniClient() {}

    public static synchronized Path path() {
        if (built != null) return built;
        Path build = Dist.shared().resolve("tools/cniclient/build.sh");
        Assumptions.assumeTrue(Files.exists(build), "skipped: " + build + " is absent (shared tools not beside the checkout)");
        Path out = Dist.home().getParent().resolve("target/cniclient");
        if (!Files.isExecutable(out)) {
            Sh.Result r = Sh.run("sh", build.toString(), out.toString());
            if (r.exit() != 0) throw new AssertionError("building cniclient failed: " + r.err() + r.out());
        }
        return built = out;
    }

    /** {@code cniclient VERB CONFLIST NETNS ID eth0} run inside {@code nodeNs}, CNI_PATH = dist/bin. */
    public static Sh.Result run(String nodeNs, String verb, Path conflist, Path podNetns, String id, Path cacheDir) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", nodeNs, "env", "-i",
                "CNI_PATH=" + Dist.home().resolve("bin") + ":" + Dist.referencePlugins(), "CNI_CACHE_DIR=" + cacheDir,
                path().toString(), verb, conflist.toString(), podNetns.toString(), id, "eth0"));
        return Sh.run(cmd, null);
    }
}
