package dev.jcni.plugin;

import dev.jcni.testing.Cni;
import dev.jcni.testing.Privileged;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static dev.jcni.plugin.BridgeNode.BRIDGE;
import static dev.jcni.plugin.BridgeNode.GATEWAY;
import static dev.jcni.plugin.BridgeNode.IFNAME;
import static dev.jcni.plugin.BridgeNode.addrs4;
import static dev.jcni.plugin.BridgeNode.assertPings;
import static dev.jcni.plugin.BridgeNode.linkNames;
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
    private static final int PODS = 40;

    @Test
    void fortyAddsAtOnceThenFortyDelsAtOnce() throws Exception {
        try (BridgeNode node = BridgeNode.create(NETWORK, "jcni-concurrency-")) {
            List<String> pods = new ArrayList<>();
            List<String> cids = new ArrayList<>();
            long tNs = System.nanoTime();
            for (int i = 0; i < PODS; i++) {
                pods.add(node.pod("p" + i));
                cids.add("ctr-" + i);
            }
            long nsMillis = (System.nanoTime() - tNs) / 1_000_000;

            // ---- 40 ADDs at once
            long t0 = System.nanoTime();
            List<Run> adds = runAll(node, "ADD", cids, pods);
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
            List<Run> dels = runAll(node, "DEL", cids, pods);
            long delMillis = (System.nanoTime() - t1) / 1_000_000;
            for (Run r : dels) assertEquals(0, r.exit, "DEL " + r.cid + " failed:\n" + r.stdout + "\nstderr: " + r.stderr);

            assertEquals(Set.of(), node.hostVeths(), "host veths left after the DELs");
            assertEquals(Map.of(), node.reservations(), "reservations left after the DELs");
            for (String pod : pods) assertEquals(List.of("lo"), linkNames(pod), IFNAME + " left in " + pod);

            System.out.printf("PluginConcurrencyIT: %d pod namespaces created in %d ms; %d ADDs at once: %d ms wall clock;"
                    + " %d DELs at once: %d ms wall clock%n", PODS, nsMillis, PODS, addMillis, PODS, delMillis);
        }
    }

    /** Round-robin: an ADD right after a DEL gets the next address, not the one just released. */
    @Test
    void addAfterDelMovesOnToTheNextAddress() throws Exception {
        try (BridgeNode node = BridgeNode.create(NETWORK, "jcni-roundrobin-")) {
            String pod = node.pod("pod");

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
        String ip = BridgeNode.address(call);
        assertNotEquals(GATEWAY, ip, "a pod got the gateway address");
        return ip;
    }

    /**
     * Starts one plugin process per container, all before waiting for any, then waits for all.
     * Output goes to files, so no process can block on a full pipe while we wait for another.
     */
    private static List<Run> runAll(BridgeNode node, String verb, List<String> cids, List<String> pods)
            throws IOException, InterruptedException {
        byte[] conf = node.conf().getBytes(StandardCharsets.UTF_8);
        List<Process> procs = new ArrayList<>();
        try {
            for (int i = 0; i < cids.size(); i++) {
                procs.add(node.launch(verb, cids.get(i), pods.get(i), verb + "-" + cids.get(i)));
            }
            for (Process p : procs) {
                try (var stdin = p.getOutputStream()) { stdin.write(conf); }
            }
            List<Run> runs = new ArrayList<>();
            for (int i = 0; i < procs.size(); i++) {
                Process p = procs.get(i);
                assertTrue(p.waitFor(180, TimeUnit.SECONDS), verb + " " + cids.get(i) + " did not finish");
                String base = verb + "-" + cids.get(i);
                runs.add(new Run(cids.get(i), p.exitValue(), Files.readString(node.out(base)), Files.readString(node.err(base))));
            }
            return runs;
        } finally {
            for (Process p : procs) if (p.isAlive()) p.destroyForcibly();
        }
    }
}
