package dev.jcni.handoff;

import dev.jcni.json.Json;
import dev.jcni.json.JsonObject;
import dev.jcni.testing.Cni;
import dev.jcni.testing.Dist;
import dev.jcni.testing.LabRun;
import dev.jcni.testing.Privileged;
import dev.jcni.testing.Sh;
import dev.jcni.testing.TestNamespaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The fast path: with the agent running, the plugin hands ADD/DEL to it over the agent's socket; the
 * results are the same as in-process, and an agent that dies mid-request leaves nothing that the
 * runtime's following DEL does not remove.
 */
@Privileged
class HandoffIT {
    @TempDir
    Path tmp;

    @Test
    void agentServesRequestsWithIdenticalResultsAndItsDeathMidRequestIsRecoverable() throws Exception {
        try (TestNamespaces ns = new TestNamespaces()) {
            ns.create("node");
            String node = ns.fullName("node");
            Sh.ip(node, "link", "add", "under0", "type", "bridge").ok();
            Sh.ip(node, "addr", "add", "10.10.10.10/24", "dev", "under0").ok();
            Sh.ip(node, "link", "set", "under0", "up").ok();
            Path nodes = tmp.resolve("nodes.json");
            Files.writeString(nodes, "{\"nodes\":[{\"name\":\"n1\",\"ip\":\"10.10.10.10\",\"podcidr\":\"10.240.0.0/24\"}]}");
            // JCNI_TEST_HOOKS lets this agent honour the test's halt hook; a production agent ignores them.
            Process agent = new ProcessBuilder("ip", "netns", "exec", node, "env", "JCNI_TEST_HOOKS=1", Dist.jcni().toString(),
                    "agent", "--node-name", "n1",
                    "--source", "file:" + nodes, "--cni-conf-dir", tmp.resolve("net.d").toString(), "--state-dir",
                    tmp.resolve("state").toString(), "--metrics-addr", "off", "--no-netfilter", "--backend", "host-gw")
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("agent.log").toFile()).start();
            try {
                Path conflist = tmp.resolve("net.d/10-jcni.conflist");
                LabRun.await("the agent's conflist", 30, () -> Files.exists(conflist));
                JsonObject list = JsonObject.parse(Files.readString(conflist));
                Map<String, Object> conf = new LinkedHashMap<>(list.optObjectList("plugins").orElseThrow().getFirst().map());
                conf.put("cniVersion", "1.1.0");
                conf.put("name", list.str("name"));
                assertTrue(conf.containsKey("agentSocket"), "the conflist tells the plugin where the agent listens");
                String stdin = Json.write(conf);
                for (String p : List.of("p1", "p2", "p3")) ns.create(p);

                Cni.Call viaAgent = Cni.call(node, Cni.env("ADD", "c1", ns.path("p1").toString(), "eth0"), stdin).ok();
                Map<String, String> local = Cni.env("ADD", "c2", ns.path("p2").toString(), "eth0");
                local.put("JCNI_NO_HANDOFF", "1");
                Cni.Call inProcess = Cni.call(node, local, stdin).ok();
                assertTrue(Files.readString(tmp.resolve("agent.log")).contains("served ADD c1/eth0 (exit 0)"), "the agent served c1");
                assertFalse(Files.readString(tmp.resolve("agent.log")).contains("served ADD c2/eth0"), "c2 ran in the plugin process");
                assertEquals(shape(viaAgent.json()), shape(inProcess.json()), "same result either way");
                assertTrue(Sh.ping(ns.fullName("p1"), ((String) ((Map<?, ?>) ((List<?>) inProcess.json().get("ips")).getFirst()).get("address")).split("/")[0]),
                        "the two pods reach each other");

                // The agent dies in the middle of an ADD it serves: the plugin says "try again" (11).
                Map<String, String> dying = Cni.env("ADD", "c3", ns.path("p3").toString(), "eth0");
                dying.put("JCNI_TEST_HALT_AT", "veth");
                Cni.Call lost = Cni.call(node, dying, stdin);
                assertEquals(11, lost.code(), lost.stdout());
                agent.waitFor();
                // The runtime's DEL after a failed ADD now runs in-process (the agent is gone) and cleans up.
                Cni.call(node, Cni.env("DEL", "c3", ns.path("p3").toString(), "eth0"), stdin).ok();
                assertFalse(Sh.ip(node, "link").out().contains(dev.jcni.plugin.InterfaceNames.hostVeth("c3", "eth0")), "no veth of c3");
                assertFalse(Sh.ip(ns.fullName("p3"), "link").out().contains("eth0"), "no eth0 in c3's netns");
                try (var files = Files.list(tmp.resolve("state/ipam/jcni"))) {
                    assertEquals(2, files.filter(f -> f.getFileName().toString().startsWith("10.240.")).count(), "only c1's and c2's reservations");
                }
                Cni.call(node, Cni.env("ADD", "c3", ns.path("p3").toString(), "eth0"), stdin).ok(); // retry works without the agent
                for (String c : List.of("c1", "c2", "c3")) {
                    Cni.call(node, Cni.env("DEL", c, ns.path("p" + c.substring(1)).toString(), "eth0"), stdin).ok();
                }
                assertFalse(Sh.ip(node, "link").out().contains(" jc"), "no veth left");
            } finally {
                agent.destroy();
                agent.waitFor();
            }
        }
    }

    /** The result with the values that differ per pod (names, MACs, addresses) replaced by their kind. */
    static Object shape(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put((String) k, switch ((String) k) {
                case "mac", "sandbox" -> "<" + k + ">";
                case "address" -> ((String) x).replaceAll("\\.\\d+/", ".N/");
                case "name" -> ((String) x).startsWith("jc") ? "jc<hash>" : x;
                default -> shape(x);
            }));
            return out;
        }
        if (v instanceof List<?> l) return l.stream().map(HandoffIT::shape).toList();
        return v;
    }
}
