package dev.jcni.testing;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Enables {@link Privileged} tests only for uid 0, and says so when it skips. */
public final class RootCondition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (isRoot()) {
            TestNamespaces.reapLeftovers();
            return ConditionEvaluationResult.enabled("running as root");
        }
        return ConditionEvaluationResult.disabled(
                "skipped: needs root to create network namespaces (run the suite with sudo, as .ci/run does)");
    }

    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) return line.split("\\s+")[2].equals("0");
            }
        } catch (IOException ignored) { }
        return false;
    }
}
