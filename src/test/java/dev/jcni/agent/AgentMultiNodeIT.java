package dev.jcni.agent;

import dev.jcni.json.Json;
import dev.jcni.json.JsonObject;
import dev.jcni.testing.CniClient;
import dev.jcni.testing.LabRun;
import dev.jcni.testing.Privileged;
import dev.jcni.testing.Sh;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Agents on several "nodes" (namespaces on an underlay switch, built by the lab), with pods added
 * through libcni using the conflist each agent wrote.
 */
@Privileged
class AgentMultiNodeIT {
    @TempDir
    Path tmp;

    /** Adds a pod named {@code name} on {@code node} through libcni; returns its IP. */
    private String libcniPod(LabRun lab, String node, String name) {
        CniClient.path(); // skips the test, with its reason, before anything is made when the tools are absent
        String podNs = lab.ns(name);
        Sh.run("ip", "netns", "add", podNs).ok();
        Sh.Result r = CniClient.run(lab.ns(node), "add", lab.conflist(node), Path.of("/run/netns", podNs), name, tmp.resolve("cache"));
        assertEquals(0, r.exit(), "libcni ADD on " + node + ": " + r.out() + r.err());
        String addr = JsonObject.parse(r.out()).optObjectList("ips").orElseThrow().getFirst().str("address");
        return addr.substring(0, addr.indexOf('/'));
    }

    @Test
    void staticFileThreeNodesPodsOutsideAndNodeRemoval() throws Exception {
        try (LabRun lab = new LabRun(tmp)) {
            lab.up("--nodes", "3", "--pods-per-node", "1", "--backend", "host-gw");
            List<String> ips = new ArrayList<>();
            List<String> pods = List.of("c1", "c2", "c3");
            try {
                for (int i = 0; i < 3; i++) ips.add(libcniPod(lab, "n" + (i + 1), pods.get(i)));
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) {
                        if (i != j) assertTrue(lab.ping(lab.ns(pods.get(i)), ips.get(j)), pods.get(i) + " -> " + pods.get(j));
                    }
                    assertTrue(lab.ping(lab.ns(pods.get(i)), "203.0.113.10"), pods.get(i) + " -> outside (masquerade)");
                }
                // The outside host really has no way back to the pods: only masquerade made that work.
                assertFalse(Sh.ip(lab.ns("inet"), "route", "get", "10.240.0.2").out().contains("via"),
                        "the outside host must not have a route to the pod ranges");
                String nft = Sh.run("ip", "netns", "exec", lab.ns("n1"), "nft", "list", "table", "inet", "jcni").ok().out();
                assertTrue(nft.contains("masquerade") && nft.contains("10.240.0.0/16"), nft);

                // Remove n3 from the source: the others withdraw their routes to its range.
                Path nodes = lab.dir.resolve("nodes.json");
                JsonObject all = JsonObject.parse(Files.readString(nodes));
                List<Object> kept = new ArrayList<>(all.optObjectList("nodes").orElseThrow().stream()
                        .filter(n -> !n.str("name").equals("n3")).map(JsonObject::map).map(m -> (Object) m).toList());
                Path next = lab.dir.resolve("nodes.json.next");
                Files.writeString(next, Json.pretty(Map.of("nodes", kept)));
                Files.move(next, nodes, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                for (String n : List.of("n1", "n2")) {
                    LabRun.await(n + " withdraws its route to n3", 20,
                            () -> !Sh.ip(lab.ns(n), "route", "show", "proto", "98").out().contains("10.240.2.0/24"));
                    assertTrue(Sh.ip(lab.ns(n), "route", "show", "proto", "98").out().contains("10.240."), "the other peer stays");
                }
                assertTrue(lab.ping(lab.ns("c1"), ips.get(1)), "c1 -> c2 still works");
            } finally {
                for (int i = 0; i < pods.size(); i++) {
                    CniClient.run(lab.ns("n" + (i + 1)), "del", lab.conflist("n" + (i + 1)), Path.of("/run/netns", lab.ns(pods.get(i))),
                            pods.get(i), tmp.resolve("cache"));
                    Sh.run("ip", "netns", "del", lab.ns(pods.get(i)));
                }
            }
        }
    }

    @Test
    void vxlanAcrossARouterCarriesFullMtuWithDontFragment() {
        try (LabRun lab = new LabRun(tmp)) {
            lab.up("--nodes", "2", "--pods-per-node", "1", "--backend", "vxlan", "--subnets", "2");
            String src = lab.ns("n1-pod1");
            String dst = lab.podIp("n2-pod1");
            assertTrue(Sh.ip(lab.ns("n2"), "addr", "show", "eth0").out().contains("10.10.20."), "n2 is on the other subnet");
            String mtu = Sh.ip(src, "-o", "link", "show", "eth0").out();
            assertTrue(mtu.contains("mtu 1450"), "pods get underlay MTU - 50: " + mtu);
            // 1450 - 20 (IP) - 8 (ICMP) = 1422 bytes of payload fill the pod MTU exactly.
            assertTrue(lab.ping(src, dst, "-M", "do", "-s", "1422"), "a full-MTU packet with DF set crosses the vxlan");
            assertFalse(lab.ping(src, dst, "-M", "do", "-s", "1423"), "one byte more does not fit the pod MTU");
            String vx = Sh.ip(lab.ns("n1"), "-d", "link", "show", "jcni.vxlan").out();
            assertTrue(vx.contains("vxlan id 1") && vx.contains("dstport 4789") && vx.contains("nolearning") && vx.contains("mtu 1450"), vx);
        }
    }

    @Test
    void agentRestartDoesNotInterruptTraffic() throws Exception {
        try (LabRun lab = new LabRun(tmp)) {
            lab.up("--nodes", "2", "--pods-per-node", "1", "--backend", "host-gw");
            String src = lab.ns("n1-pod1");
            String dst = lab.podIp("n2-pod1");
            long pid = lab.agentPid("n1");
            String cmdline = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"))).replace('\0', '\n').strip();
            Process ping = new ProcessBuilder("ip", "netns", "exec", src, "ping", "-i", "0.1", "-c", "60", "-W", "1", dst)
                    .redirectErrorStream(true).start();
            Thread.sleep(1000);
            ProcessHandle.of(pid).orElseThrow().destroy(); // SIGTERM: the datapath stays
            ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
            assertTrue(Sh.ip(lab.ns("n1"), "route", "show", "proto", "98").out().contains("10.240.1.0/24"),
                    "routes stay while the agent is down");
            Thread.sleep(1500);
            List<String> restart = List.of(cmdline.split("\n"));
            Process agent = new ProcessBuilder(restart).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(lab.dir.resolve("n1/agent.log").toFile())).start();
            try {
                String out = new String(ping.getInputStream().readAllBytes());
                ping.waitFor();
                assertTrue(out.contains(" 0% packet loss"), "no packet lost across the restart:\n" + out);
                LabRun.await("the restarted agent is ready", 30, () -> {
                    try {
                        return JsonObject.parse(Files.readString(lab.dir.resolve("n1/state/status.json"))).optBool("ready").orElse(false)
                                && Files.getLastModifiedTime(lab.dir.resolve("n1/state/status.json")).toMillis() > System.currentTimeMillis() - 15000;
                    } catch (Exception e) {
                        return false;
                    }
                });
            } finally {
                agent.destroy();
                agent.waitFor();
            }
        }
    }

    @Test
    void etcdSourceLeasesBlocksAndSurvivesAnEtcdRestart() throws Exception {
        try (LabRun lab = new LabRun(tmp)) {
            lab.up("--nodes", "3", "--pods-per-node", "1", "--source", "etcd");
            java.util.Set<String> cidrs = new java.util.HashSet<>();
            for (JsonObject n : lab.lab().optObjectList("nodes").orElseThrow()) cidrs.add(n.str("podCidr"));
            assertEquals(3, cidrs.size(), "three distinct leased blocks: " + cidrs);
            String src = lab.ns("n1-pod1");
            String dst = lab.podIp("n3-pod1");
            long etcdPid = lab.lab().optLong("etcdPid").orElseThrow();
            String cmdline = new String(Files.readAllBytes(Path.of("/proc/" + etcdPid + "/cmdline"))).replace('\0', '\n').strip();
            Process ping = new ProcessBuilder("ip", "netns", "exec", src, "ping", "-i", "0.1", "-c", "80", "-W", "1", dst)
                    .redirectErrorStream(true).start();
            Thread.sleep(1000);
            ProcessHandle.of(etcdPid).orElseThrow().destroyForcibly();
            ProcessHandle.of(etcdPid).ifPresent(h -> h.onExit().join());
            LabRun.await("n1 notices the etcd outage", 30, () -> statusSays(lab, "n1", "\"sourceConnected\": false"));
            assertTrue(Sh.ip(lab.ns("n1"), "route", "show", "proto", "98").out().contains(cidrs.stream()
                    .filter(c -> !c.equals(lab.lab().optObjectList("nodes").orElseThrow().getFirst().str("podCidr"))).findFirst().orElseThrow()),
                    "routes stay during the outage");
            List<String> restart = new ArrayList<>(List.of("ip", "netns", "exec", lab.ns("rt")));
            restart.addAll(List.of(cmdline.split("\n")));
            Process etcd = new ProcessBuilder(restart).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(lab.dir.resolve("etcd.log").toFile())).start();
            try {
                String out = new String(ping.getInputStream().readAllBytes());
                ping.waitFor();
                assertTrue(out.contains(" 0% packet loss"), "no packet lost across the etcd restart:\n" + out);
                LabRun.await("n1 reconnects to etcd", 60, () -> statusSays(lab, "n1", "\"sourceConnected\": true"));
                assertTrue(lab.ping(src, dst), "traffic after the restart");

                // Pods added through libcni with the conflists the etcd-driven agents wrote reach each other.
                String a = libcniPod(lab, "n1", "e1");
                String b = libcniPod(lab, "n3", "e3");
                try {
                    assertTrue(lab.ping(lab.ns("e1"), b) && lab.ping(lab.ns("e3"), a), "libcni pods across nodes");
                    assertTrue(lab.ping(lab.ns("e1"), "203.0.113.10"), "and out through masquerade");
                } finally {
                    for (String[] p : new String[][]{{"n1", "e1"}, {"n3", "e3"}}) {
                        CniClient.run(lab.ns(p[0]), "del", lab.conflist(p[0]), Path.of("/run/netns", lab.ns(p[1])), p[1], tmp.resolve("cache"));
                        Sh.run("ip", "netns", "del", lab.ns(p[1]));
                    }
                }

                // n3 leaves: its agent stops and its lease goes; the others withdraw their routes to it.
                String n3cidr = lab.lab().optObjectList("nodes").orElseThrow().stream().filter(x -> x.str("name").equals("n3"))
                        .findFirst().orElseThrow().str("podCidr");
                ProcessHandle.of(lab.agentPid("n3")).ifPresent(h -> { h.destroy(); h.onExit().join(); });
                String key = "/jcni/subnets/" + n3cidr.replace('/', '-');
                Sh.run("ip", "netns", "exec", lab.ns("rt"), "etcdctl", "--endpoints", "http://10.10.10.1:2379", "del", key).ok();
                for (String n : List.of("n1", "n2")) {
                    LabRun.await(n + " withdraws its route to n3", 30,
                            () -> !Sh.ip(lab.ns(n), "route", "show", "proto", "98").out().contains(n3cidr));
                }
            } finally {
                etcd.destroy();
                etcd.waitFor();
            }
        }
    }

    private static boolean statusSays(LabRun lab, String node, String text) {
        try {
            return Files.readString(lab.dir.resolve(node + "/state/status.json")).contains(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
