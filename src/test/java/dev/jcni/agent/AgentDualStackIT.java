package dev.jcni.agent;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Two dual-stack nodes over VXLAN (IPv4 underlay): pods reach each other over IPv4 and IPv6. */
@Privileged
class AgentDualStackIT {
    @TempDir
    Path tmp;

    @Test
    void dualStackPodsAcrossNodesOverVxlan() throws Exception {
        List<Process> agents = new ArrayList<>();
        try (TestNamespaces ns = new TestNamespaces()) {
            String sw = ns.fullName("sw");
            ns.create("sw");
            Sh.ip(sw, "link", "add", "br0", "type", "bridge").ok();
            Sh.ip(sw, "link", "set", "br0", "up").ok();
            Files.writeString(tmp.resolve("nodes.json"), """
                    {"nodes":[{"name":"n1","ip":"10.10.10.11","podcidrs":["10.240.0.0/24","fd00:10:240::/64"]},
                              {"name":"n2","ip":"10.10.10.12","podcidrs":["10.240.1.0/24","fd00:10:240:1::/64"]}]}""");
            for (int i = 1; i <= 2; i++) {
                String node = ns.fullName("n" + i);
                ns.create("n" + i);
                Sh.run("ip", "link", "add", "u" + i, "netns", sw, "type", "veth", "peer", "name", "eth0", "netns", node).ok();
                Sh.ip(sw, "link", "set", "u" + i, "master", "br0", "up").ok();
                Sh.ip(node, "addr", "add", "10.10.10.1" + i + "/24", "dev", "eth0").ok();
                Sh.ip(node, "link", "set", "eth0", "up").ok();
                Sh.ip(node, "link", "set", "lo", "up").ok();
                agents.add(new ProcessBuilder("ip", "netns", "exec", node, Dist.jcni().toString(), "agent", "--node-name", "n" + i,
                        "--source", "file:" + tmp.resolve("nodes.json"), "--backend", "vxlan", "--metrics-addr", "off",
                        "--cni-conf-dir", tmp.resolve("n" + i + "/net.d").toString(), "--state-dir", tmp.resolve("n" + i + "/state").toString())
                        .redirectErrorStream(true).redirectOutput(tmp.resolve("n" + i + ".log").toFile()).start());
            }
            List<String> v6 = new ArrayList<>();
            List<String> v4 = new ArrayList<>();
            for (int i = 1; i <= 2; i++) {
                Path conflist = tmp.resolve("n" + i + "/net.d/10-jcni.conflist");
                LabRun.await("n" + i + "'s conflist", 30, () -> Files.exists(conflist));
                JsonObject list = JsonObject.parse(Files.readString(conflist));
                Map<String, Object> conf = new LinkedHashMap<>(list.optObjectList("plugins").orElseThrow().getFirst().map());
                conf.put("cniVersion", "1.1.0");
                conf.put("name", list.str("name"));
                ns.create("p" + i);
                Cni.Call add = Cni.call(ns.fullName("n" + i), Cni.env("ADD", "p" + i, ns.path("p" + i).toString(), "eth0"), Json.write(conf)).ok();
                for (JsonObject ip : JsonObject.of(add.json()).optObjectList("ips").orElseThrow()) {
                    String a = ip.str("address");
                    (a.contains(":") ? v6 : v4).add(a.substring(0, a.indexOf('/')));
                }
            }
            for (int i = 1; i <= 2; i++) {
                int n = i;
                LabRun.await("n" + n + " routes both families to the other node", 30, () -> {
                    String r = Sh.ip(ns.fullName("n" + n), "route", "show", "proto", "98").out() + Sh.ip(ns.fullName("n" + n), "-6", "route", "show", "proto", "98").out();
                    return r.contains("jcni.vxlan") && r.contains("fd00:10:240:");
                });
            }
            assertTrue(Sh.ping(ns.fullName("p1"), v4.get(1)), "IPv4 across nodes");
            assertTrue(Sh.ping(ns.fullName("p1"), v6.get(1), "-6"), "IPv6 across nodes, over the IPv4 underlay");
            assertTrue(Sh.ping(ns.fullName("p2"), v6.get(0), "-6"), "and back");
            assertEquals("1", Sh.run("ip", "netns", "exec", ns.fullName("n1"), "cat", "/proc/sys/net/ipv6/conf/all/forwarding").ok().out().trim(),
                    "IPv6 forwarding on in the node with an IPv6 range");
        } finally {
            for (Process a : agents) { a.destroy(); a.waitFor(); }
        }
    }
}
