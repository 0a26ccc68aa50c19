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
        // The Java client (jcni-java) is the plugin here; ShimIT covers the native shim.
        Path client = Files.exists(Dist.home().resolve("bin/jcni-java")) ? Dist.home().resolve("bin/jcni-java") : Dist.jcni();
        try (TestNamespaces ns = new TestNamespaces(); AgentNode an = AgentNode.start(ns, tmp, Dist.jcni())) {
            String node = an.node;
            for (String p : List.of("p1", "p2", "p3")) ns.create(p);

            Cni.Call viaAgent = Cni.call(node, Cni.env("ADD", "c1", ns.path("p1").toString(), "eth0"), an.stdin, client).ok();
            Map<String, String> local = Cni.env("ADD", "c2", ns.path("p2").toString(), "eth0");
            local.put("JCNI_NO_HANDOFF", "1");
            Cni.Call inProcess = Cni.call(node, local, an.stdin, client).ok();
            assertTrue(an.log().contains("served ADD c1/eth0 (exit 0)"), "the agent served c1");
            assertFalse(an.log().contains("served ADD c2/eth0"), "c2 ran in the plugin process");
            assertEquals(shape(viaAgent.json()), shape(inProcess.json()), "same result either way");
            String c2 = ((String) ((Map<?, ?>) ((List<?>) inProcess.json().get("ips")).getFirst()).get("address")).split("/")[0];
            assertTrue(Sh.ping(ns.fullName("p1"), c2), "the two pods reach each other");

            // The agent dies in the middle of an ADD it serves: the plugin says "try again" (11).
            Map<String, String> dying = Cni.env("ADD", "c3", ns.path("p3").toString(), "eth0");
            dying.put("JCNI_TEST_HALT_AT", "veth");
            Cni.Call lost = Cni.call(node, dying, an.stdin, client);
            assertEquals(11, lost.code(), lost.stdout());
            an.agent.waitFor();
            // The runtime's DEL after a failed ADD now runs in-process (the agent is gone) and cleans up.
            Cni.call(node, Cni.env("DEL", "c3", ns.path("p3").toString(), "eth0"), an.stdin, client).ok();
            assertFalse(Sh.ip(node, "link").out().contains(dev.jcni.plugin.InterfaceNames.hostVeth("c3", "eth0")), "no veth of c3");
            assertFalse(Sh.ip(ns.fullName("p3"), "link").out().contains("eth0"), "no eth0 in c3's netns");
            try (var files = Files.list(tmp.resolve("state/ipam/jcni"))) {
                assertEquals(2, files.filter(f -> f.getFileName().toString().startsWith("10.240.")).count(), "only c1's and c2's reservations");
            }
            Cni.call(node, Cni.env("ADD", "c3", ns.path("p3").toString(), "eth0"), an.stdin, client).ok(); // retry works without the agent
            for (String c : List.of("c1", "c2", "c3")) {
                Cni.call(node, Cni.env("DEL", c, ns.path("p" + c.substring(1)).toString(), "eth0"), an.stdin, client).ok();
            }
            assertFalse(Sh.ip(node, "link").out().contains(" jc"), "no veth left");
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
