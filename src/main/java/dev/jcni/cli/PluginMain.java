package dev.jcni.cli;

import dev.jcni.handoff.HandoffClient;
import dev.jcni.plugin.JcniPlugin;
import dev.jcni.spec.CniException;
import dev.jcni.spec.Dispatcher;
import dev.jcni.spec.ErrorCode;
import dev.jcni.spec.NetConf;

import java.io.ByteArrayInputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The CNI plugin entry. If the config names the agent's socket and the agent answers there, the
 * request runs in the agent (warm JVM, warm netlink); otherwise here, through the same dispatcher.
 * An agent that took the request and died answers "try again" (code 11): a runtime then sends DEL
 * and retries, which is safe because every step of ADD is idempotent.
 */
final class PluginMain {
    /** Set to anything to force the in-process path (tests, debugging). */
    static final String NO_HANDOFF = "JCNI_NO_HANDOFF";

    private PluginMain() {}

    static int run() {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        Map<String, String> env = System.getenv();
        if ("VERSION".equals(env.get("CNI_COMMAND"))) { // nothing to hand over: answer at once
            return new Dispatcher(new JcniPlugin(System.err)).run(env, System.in, out, System.err);
        }
        byte[] stdin;
        try {
            stdin = System.in.readAllBytes();
        } catch (IOException e) {
            stdin = new byte[0];
        }
        Optional<Path> socket = env.containsKey(NO_HANDOFF) ? Optional.empty() : HandoffClient.socketOf(stdin);
        if (socket.isPresent()) {
            HandoffClient.Outcome o = HandoffClient.send(socket.get(), env, stdin);
            switch (o) {
                case HandoffClient.Outcome.Handled h -> {
                    System.err.write(h.response().stderr(), 0, h.response().stderr().length);
                    System.err.flush();
                    out.write(h.response().stdout(), 0, h.response().stdout().length);
                    out.flush();
                    return h.response().exit();
                }
                case HandoffClient.Outcome.Lost lost -> {
                    // The same answer as the native shim's (src/main/c/jcni-shim.c).
                    CniException e = new CniException(ErrorCode.TRY_AGAIN_LATER, "the jcni agent did not answer; try again", lost.why());
                    out.println(dev.jcni.json.Json.pretty(e.toJson(versionOf(stdin))));
                    return 1;
                }
                case HandoffClient.Outcome.NotAvailable na -> { } // run it here
            }
        }
        return new Dispatcher(new JcniPlugin(System.err)).run(env, new ByteArrayInputStream(stdin), out, System.err);
    }

    private static String versionOf(byte[] stdin) {
        try {
            return NetConf.versionHint(NetConf.decode(stdin)).orElse("1.1.0");
        } catch (RuntimeException e) {
            return "1.1.0";
        }
    }
}
