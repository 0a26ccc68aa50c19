package dev.jcni.plugin;

import dev.jcni.testing.Cni;
import dev.jcni.testing.Dist;
import dev.jcni.testing.Privileged;
import dev.jcni.testing.Sh;
import dev.jcni.testing.TestNamespaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many plugin processes at once on one node, as a runtime starting a node's pods does: 40 ADDs started
 * together, then 40 DELs. Runs the real dist/bin/jcni inside a throw-away node namespace, with pods in
 * namespaces of their own and IPAM state in a per-test temp dataDir; the root namespace is never touched.
 */
@Privileged
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class PluginConcurrencyIT {
    private static final String NETWORK = "concurrency-it";
    private static final String BRIDGE = "cni0";
    private static final String GATEWAY = "10.240.0.1";
    private static final String IFNAME = "eth0";
    private static final int PODS = 40;

    @Test
    void fortyAddsAtOnceThenFortyDelsAtOnce() throws Exception {
        Path dataDir = Files.createTempDirectory("jcni-concurrency-");
        try (TestNamespaces ns = new TestNamespaces()) {
            Node node = new Node(ns, dataDir);
            List<String> pods = new ArrayList<>();
            List<String> cids = new ArrayList<>();
            long tNs = System.nanoTime();
            for (int i = 0; i < PODS; i++) {
                ns.create("p" + i);
                pods.add(ns.fullName("p" + i));
                cids.add("ctr-" + i);
            }
            long nsMillis = (System.nanoTime() - tNs) / 1_000_000;

            // ---- 40 ADDs at once
            long t0 = System.nanoTime();
            List<Run> adds = node.runAll("ADD", cids, pods);
            long addMillis = (System.nanoTime() - t0) / 1_000_000;
            for (Run r : adds) assertEquals(0, r.exit, "ADD " + r.cid + " failed:\n" + r.stdout + "\nstderr: " + r.stderr);

            Map<String, String> ipByCid = new HashMap<>();
            for (Run r : adds) ipByCid.put(r.cid, address(r));
            assertEquals(PODS, new HashSet<>(ipByCid.values()).size(), "an address was handed out twice: " + ipByCid);

            Set<String> expectedVeths = new TreeSet<>();
            cids.forEach(c -> expectedVeths.add(InterfaceNames.hostVeth(c, IFNAME)));
            assertEquals(expectedVeths, node.hostVeths(), "host veths in the node");
            assertEquals(expectedVeths, node.bridgePorts(), "ports of " + BRIDGE);
            assertEquals(List.of(BRIDGE), node.bridges(), "exactly one bridge");
            assertEquals(List.of(GATEWAY + "/24"), addrs4(node.name, BRIDGE), "exactly one gateway address");

            Map<String, String> expectedReservations = new TreeMap<>();
            ipByCid.forEach((cid, ip) -> expectedReservations.put(ip, cid + "\n" + IFNAME));
            assertEquals(expectedReservations, node.reservations(), "one reservation file per pod, naming its container");

            for (int i = 0; i < PODS; i++) {
                assertEquals(List.of(ipByCid.get(cids.get(i)) + "/24"), addrs4(pods.get(i), IFNAME), "address of " + pods.get(i));
            }
            assertPings(pods.getFirst(), GATEWAY);
            assertPings(pods.getFirst(), ipByCid.get(cids.getLast()));
            assertPings(pods.getLast(), ipByCid.get(cids.get(PODS / 2)));

            // ---- 40 DELs at once
            long t1 = System.nanoTime();
            List<Run> dels = node.runAll("DEL", cids, pods);
            long delMillis = (System.nanoTime() - t1) / 1_000_000;
            for (Run r : dels) assertEquals(0, r.exit, "DEL " + r.cid + " failed:\n" + r.stdout + "\nstderr: " + r.stderr);

            assertEquals(Set.of(), node.hostVeths(), "host veths left after the DELs");
            assertEquals(Map.of(), node.reservations(), "reservations left after the DELs");
            for (String pod : pods) assertEquals(List.of("lo"), linkNames(pod), IFNAME + " left in " + pod);

            System.out.printf("PluginConcurrencyIT: %d pod namespaces created in %d ms; %d ADDs at once: %d ms wall clock;"
                    + " %d DELs at once: %d ms wall clock%n", PODS, nsMillis, PODS, addMillis, PODS, delMillis);
        } finally {
            deleteTree(dataDir);
        }
    }

    /** Round-robin: an ADD right after a DEL gets the next address, not the one just released. */
    @Test
    void addAfterDelMovesOnToTheNextAddress() throws Exception {
        Path dataDir = Files.createTempDirectory("jcni-roundrobin-");
        try (TestNamespaces ns = new TestNamespaces()) {
            Node node = new Node(ns, dataDir);
            ns.create("pod");
            String pod = ns.fullName("pod");

            String first = address(node.run("ADD", "rr", pod).ok());
            node.run("DEL", "rr", pod).ok();
            assertEquals(Map.of(), node.reservations());
            String second = address(node.run("ADD", "rr", pod).ok());
            assertNotEquals(first, second, "the address just released was reused at once");
            assertEquals(next(first), second, "the walk continues after the last reserved address");
            node.run("DEL", "rr", pod).ok();

            String third = address(node.run("ADD", "rr-other", pod).ok());
            assertEquals(next(second), third, "another container continues the walk too");
            node.run("DEL", "rr-other", pod).ok();
            assertEquals(Set.of(), node.hostVeths());
            assertEquals(Map.of(), node.reservations());
            assertEquals(List.of("lo"), linkNames(pod));
        } finally {
            deleteTree(dataDir);
        }
    }

    // ------------------------------------------------------------------ helpers

    private record Run(String cid, int exit, String stdout, String stderr) {}

    private static String next(String ip) {
        int dot = ip.lastIndexOf('.');
        return ip.substring(0, dot + 1) + (Integer.parseInt(ip.substring(dot + 1)) + 1);
    }

    private static String address(Run r) {
        return address(new Cni.Call(r.exit, r.stdout, r.stderr));
    }

    private static String address(Cni.Call call) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> ips = (List<Map<String, Object>>) call.json().get("ips");
        assertEquals(1, ips.size(), "one address: " + call.stdout());
        String cidr = (String) ips.getFirst().get("address");
        assertTrue(cidr.startsWith("10.240.0.") && cidr.endsWith("/24"), "address in the pod range: " + cidr);
        String ip = cidr.substring(0, cidr.indexOf('/'));
        assertNotEquals(GATEWAY, ip, "a pod got the gateway address");
        return ip;
    }

    private static void assertPings(String fromNs, String ip) {
        Sh.Result r = Sh.run(List.of("ip", "netns", "exec", fromNs, "ping", "-n", "-q", "-c", "3", "-i", "0.2", "-W", "2", ip), null);
        assertEquals(0, r.exit(), fromNs + " cannot reach " + ip + ": " + r.out() + r.err());
    }

    private static List<String> linkNames(String ns) {
        return namesOf(Sh.ip(ns, "-o", "link", "show").ok().out());
    }

    /** Link names from {@code ip -o link} output, without the "@peer" part. */
    private static List<String> namesOf(String ipOutput) {
        List<String> names = new ArrayList<>();
        for (String line : ipOutput.split("\n")) {
            if (line.isBlank()) continue;
            String name = line.split(": ", 3)[1];
            int at = name.indexOf('@');
            names.add(at < 0 ? name : name.substring(0, at));
        }
        return names;
    }

    private static List<String> addrs4(String ns, String dev) {
        List<String> out = new ArrayList<>();
        for (String line : Sh.ip(ns, "-4", "-o", "addr", "show", "dev", dev).ok().out().split("\n")) {
            Matcher m = Pattern.compile(" inet (\\S+)").matcher(line);
            if (m.find()) out.add(m.group(1));
        }
        return out;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** The node namespace the plugin runs in, and its IPAM directory. */
    private static final class Node {
        final String name;
        final Path dataDir;
        final Path outDir;

        Node(TestNamespaces ns, Path dataDir) throws IOException {
            ns.create("node");
            this.name = ns.fullName("node");
            this.dataDir = dataDir;
            this.outDir = Files.createDirectories(dataDir.resolve("out"));
            Sh.ip(name, "link", "set", "lo", "up").ok();
        }

        String conf() {
            return """
                    {"cniVersion":"1.1.0","name":"%s","type":"jcni","bridge":"%s",\
                    "podcidr":"10.240.0.0/24","dataDir":"%s"}""".formatted(NETWORK, BRIDGE, dataDir);
        }

        Cni.Call run(String verb, String cid, String podNs) {
            return Cni.call(name, Cni.env(verb, cid, "/run/netns/" + podNs, IFNAME), conf());
        }

        /**
         * Starts one plugin process per container, all before waiting for any, then waits for all.
         * Output goes to files, so no process can block on a full pipe while we wait for another.
         */
        List<Run> runAll(String verb, List<String> cids, List<String> pods) throws IOException, InterruptedException {
            byte[] conf = conf().getBytes(StandardCharsets.UTF_8);
            List<Process> procs = new ArrayList<>();
            try {
                for (int i = 0; i < cids.size(); i++) {
                    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name, "env", "-i"));
                    Cni.env(verb, cids.get(i), "/run/netns/" + pods.get(i), IFNAME).forEach((k, v) -> cmd.add(k + "=" + v));
                    cmd.add(Dist.jcni().toString());
                    String base = verb + "-" + cids.get(i);
                    procs.add(new ProcessBuilder(cmd).redirectOutput(outDir.resolve(base + ".out").toFile())
                            .redirectError(outDir.resolve(base + ".err").toFile()).start());
                }
                for (Process p : procs) {
                    try (var stdin = p.getOutputStream()) { stdin.write(conf); }
                }
                List<Run> runs = new ArrayList<>();
                for (int i = 0; i < procs.size(); i++) {
                    Process p = procs.get(i);
                    assertTrue(p.waitFor(180, TimeUnit.SECONDS), verb + " " + cids.get(i) + " did not finish");
                    String base = verb + "-" + cids.get(i);
                    runs.add(new Run(cids.get(i), p.exitValue(), Files.readString(outDir.resolve(base + ".out")),
                            Files.readString(outDir.resolve(base + ".err"))));
                }
                return runs;
            } finally {
                for (Process p : procs) if (p.isAlive()) p.destroyForcibly();
            }
        }

        Set<String> hostVeths() {
            Set<String> out = new TreeSet<>();
            for (String n : linkNames(name)) if (n.startsWith(InterfaceNames.HOST_VETH_PREFIX)) out.add(n);
            return out;
        }

        Set<String> bridgePorts() {
            return new TreeSet<>(namesOf(Sh.ip(name, "-o", "link", "show", "master", BRIDGE).ok().out()));
        }

        List<String> bridges() {
            return namesOf(Sh.ip(name, "-o", "link", "show", "type", "bridge").ok().out());
        }

        /** Every file in dataDir/NETWORK but {@code lock} and {@code last_reserved_ip.*}, name to content. */
        Map<String, String> reservations() {
            Path dir = dataDir.resolve(NETWORK);
            Map<String, String> out = new TreeMap<>();
            if (!Files.isDirectory(dir)) return out;
            try (Stream<Path> s = Files.list(dir)) {
                for (Path f : s.toList()) {
                    String n = f.getFileName().toString();
                    if (n.equals("lock") || n.startsWith("last_reserved_ip.")) continue;
                    try {
                        out.put(n, Files.readString(f));
                    } catch (IOException gone) {
                        out.put(n, "<unreadable: " + gone + ">");
                    }
                }
            } catch (IOException e) {
                throw new AssertionError("cannot list " + dir, e);
            }
            return out;
        }
    }
}
