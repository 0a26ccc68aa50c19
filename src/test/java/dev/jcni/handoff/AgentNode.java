package dev.jcni.handoff;

import dev.jcni.json.Json;
import dev.jcni.json.JsonObject;
import dev.jcni.testing.LabRun;
import dev.jcni.testing.Sh;
import dev.jcni.testing.TestNamespaces;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A node namespace with a real agent in it (file source naming only itself), and the plugin config its
 * conflist gives a runtime, which names the agent's socket. The agent honours test hooks
 * (JCNI_TEST_HOOKS=1), which a production agent does not.
 */
final class AgentNode implements AutoCloseable {
    final String node;
    final String stdin;
    final Process agent;
    private final Path log;

    private AgentNode(String node, String stdin, Process agent, Path log) {
        this.node = node;
        this.stdin = stdin;
        this.agent = agent;
        this.log = log;
    }

    /** Starts the agent with {@code launcher} (the shim or jcni-java) in a new node namespace of {@code ns}. */
    static AgentNode start(TestNamespaces ns, Path tmp, Path launcher) throws IOException {
        ns.create("node");
        String node = ns.fullName("node");
        Sh.ip(node, "link", "add", "under0", "type", "bridge").ok();
        Sh.ip(node, "addr", "add", "10.10.10.10/24", "dev", "under0").ok();
        Sh.ip(node, "link", "set", "under0", "up").ok();
        Path nodes = tmp.resolve("nodes.json");
        Files.writeString(nodes, "{\"nodes\":[{\"name\":\"n1\",\"ip\":\"10.10.10.10\",\"podcidr\":\"10.240.0.0/24\"}]}");
        Path log = tmp.resolve("agent.log");
        Process agent = new ProcessBuilder("ip", "netns", "exec", node, "env", "JCNI_TEST_HOOKS=1", launcher.toString(),
                "agent", "--node-name", "n1", "--source", "file:" + nodes, "--cni-conf-dir", tmp.resolve("net.d").toString(),
                "--state-dir", tmp.resolve("state").toString(), "--metrics-addr", "off", "--no-netfilter", "--backend", "host-gw")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Path conflist = tmp.resolve("net.d/10-jcni.conflist");
            LabRun.await("the agent's conflist", 30, () -> Files.exists(conflist));
            JsonObject list = JsonObject.parse(Files.readString(conflist));
            Map<String, Object> conf = new LinkedHashMap<>(list.optObjectList("plugins").orElseThrow().getFirst().map());
            conf.put("cniVersion", "1.1.0");
            conf.put("name", list.str("name"));
            if (!conf.containsKey("agentSocket")) throw new AssertionError("the conflist names no agentSocket: " + conf);
            return new AgentNode(node, Json.write(conf), agent, log);
        } catch (IOException | RuntimeException | Error e) {
            agent.destroy();
            throw e;
        }
    }

    String log() throws IOException { return Files.readString(log); }

    @Override
    public void close() throws InterruptedException {
        agent.destroy();
        agent.waitFor();
    }
}
