package dev.jcni.agent.source.etcd;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Files;

/** Runs a test class that needs a real etcd only where the binary is installed, and says why it skips. */
final class EtcdInstalled implements ExecutionCondition {
    static final String WHY_NOT = "etcd not installed (apt-get install etcd-server)";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return Files.isExecutable(EtcdServer.BINARY)
                ? ConditionEvaluationResult.enabled(EtcdServer.BINARY + " is installed")
                : ConditionEvaluationResult.disabled(WHY_NOT);
    }
}
