package dev.jcni.plugin;

import dev.jcni.plugin.BridgeNode.BridgeState;
import dev.jcni.testing.Cni;
import dev.jcni.testing.Privileged;
import dev.jcni.testing.Sh;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static dev.jcni.plugin.BridgeNode.BRIDGE;
import static dev.jcni.plugin.BridgeNode.GATEWAY;
import static dev.jcni.plugin.BridgeNode.IFNAME;
import static dev.jcni.plugin.BridgeNode.address;
import static dev.jcni.plugin.BridgeNode.addrs4;
import static dev.jcni.plugin.BridgeNode.assertPings;
import static dev.jcni.plugin.BridgeNode.linkNames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rollback of ADD, against the real dist/bin/jcni run inside a throw-away "node" namespace: an injected
 * failure at each step (JCNI_TEST_FAIL_AT) must leave nothing behind, and so must a SIGKILL at any moment
 * once the runtime's DEL has run. Nothing here touches the root namespace: links and addresses live in
 * the test's own namespaces, IPAM state in a per-test temp dataDir.
 */
@Privileged
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PluginRollbackIT {
    private static final String NETWORK = "rollback-it";

    // ------------------------------------------------------------------ fault injection, step by step

    @ParameterizedTest(name = "fail at {0}, bridge absent before")
    @ValueSource(strings = {"ipam", "bridge", "veth", "port", "pod-addresses", "pod-routes", "result"})
    void injectedFailureOnANodeWithoutTheBridgeLeavesNothing(String step) throws IOException {
        try (BridgeNode node = BridgeNode.create(NETWORK, "jcni-rollback-")) {
            String pod = node.pod("pod");
            assertNull(node.bridge(), "a fresh node has no bridge");

            assertInjectedFailure(node.add("fault-" + step, pod, step), step);

            assertEquals(Set.of(), node.hostVeths(), "host veth left after failing at " + step);
            assertEquals(List.of("lo"), linkNames(pod), IFNAME + " left in the pod after failing at " + step);
            assertEquals(Map.of(), node.reservations(), "reservation left after failing at " + step);
            assertNull(node.bridge(), "the bridge this ADD created was not removed after failing at " + step);

            // Nothing stale blocks the same attachment: a clean ADD succeeds and the pod reaches its gateway.
            String ip = address(node.add("fault-" + step, pod, null).ok());
            assertEquals(List.of(ip + "/24"), addrs4(pod, IFNAME));
            assertPings(pod, GATEWAY);
            assertEquals(Set.of(InterfaceNames.hostVeth("fault-" + step, IFNAME)), node.hostVeths());

            node.del("fault-" + step).ok();
            assertNodeClean(node, pod);
        }
    }

    @ParameterizedTest(name = "fail at {0}, bridge present with another pod")
    @ValueSource(strings = {"ipam", "bridge", "veth", "port", "pod-addresses", "pod-routes", "result"})
    void injectedFailureOnANodeWithTheBridgeLeavesItAndTheOtherPodAlone(String step) throws IOException {
        try (BridgeNode node = BridgeNode.create(NETWORK, "jcni-rollback-")) {
            String other = node.pod("other");
            String pod = node.pod("pod");
            String otherIp = address(node.add("resident", other, null).ok());
            assertPings(other, GATEWAY);

            BridgeState bridgeBefore = node.bridge();
            Set<String> vethsBefore = node.hostVeths();
            Map<String, String> reservationsBefore = node.reservations();
            assertNotNull(bridgeBefore);
            assertEquals(List.of(GATEWAY + "/24"), bridgeBefore.ipv4());
            assertEquals(Map.of(otherIp, "resident\n" + IFNAME), reservationsBefore);

            assertInjectedFailure(node.add("fault-" + step, pod, step), step);

            assertEquals(vethsBefore, node.hostVeths(), "host veths changed after failing at " + step);
            assertEquals(List.of("lo"), linkNames(pod), IFNAME + " left in the pod after failing at " + step);
            assertEquals(reservationsBefore, node.reservations(), "reservations changed after failing at " + step);
            assertEquals(bridgeBefore, node.bridge(), "the bridge changed after failing at " + step);
            assertEquals(Set.copyOf(vethsBefore), node.bridgePorts(), "the resident pod is no longer on the bridge");
            assertEquals(List.of(otherIp + "/24"), addrs4(other, IFNAME));
            assertPings(other, GATEWAY);

            String ip = address(node.add("fault-" + step, pod, null).ok());
            assertFalse(ip.equals(otherIp), "address handed out twice: " + ip);
            assertPings(pod, GATEWAY);
            assertPings(pod, otherIp);

            node.del("fault-" + step).ok();
            node.del("resident").ok();
            assertNodeClean(node, pod);
            assertEquals(List.of("lo"), linkNames(other));
        }
    }

    private static void assertInjectedFailure(Cni.Call call, String step) {
        assertEquals(1, call.exit(), "exit status of an ADD failing at " + step + "\nstdout: " + call.stdout() + "\nstderr: " + call.stderr());
        assertEquals(Faults.CODE, call.code(), "error code on stdout: " + call.stdout());
        assertTrue(String.valueOf(call.json().get("msg")).contains(step), "the message names the step: " + call.stdout());
    }

    // ------------------------------------------------------------------ SIGKILL at random moments

    @Test
    void sigkillAtARandomMomentThenDelLeavesNothing() throws Exception {
        int iterations = Integer.getInteger("jcni.it.kills", 24);
        long seed = Long.getLong("jcni.it.seed", System.nanoTime());
        Random random = new Random(seed);
        try (BridgeNode node = BridgeNode.create(NETWORK, "jcni-kill-")) {
            String pod = node.pod("pod");

            // Undisturbed ADDs and DELs (the first one warms the page cache), to learn how long an ADD takes
            // here, and how much of it comes after the address is reserved (the rest is JVM start-up).
            long addMillis = 0, workMillis = 0;
            for (int warm = 0; warm < 2; warm++) {
                long t0 = System.nanoTime();
                Process p = node.start("ADD", "calibrate", pod);
                long reservedAt = awaitReservation(node, "calibrate", p);
                assertTrue(p.waitFor(60, TimeUnit.SECONDS));
                long end = System.nanoTime();
                assertEquals(0, p.exitValue(), Files.readString(node.out("calibrate")));
                addMillis = (end - t0) / 1_000_000;
                workMillis = reservedAt < 0 ? 0 : (end - reservedAt) / 1_000_000;
                node.del("calibrate").ok();
                assertNodeClean(node, pod);
            }

            int killedMidAdd = 0, completedFirst = 0;
            Map<String, Integer> phases = new TreeMap<>();
            for (int i = 0; i < iterations; i++) {
                String cid = "kill-" + i;
                // Half the rounds start from a node without a bridge, so kills also land in its creation.
                if (i % 4 < 2 && node.bridgePortsOrNull() != null && node.bridgePorts().isEmpty()) {
                    Sh.ip(node.name, "link", "del", BRIDGE).ok();
                }
                Process p = node.start("ADD", cid, pod);
                String when;
                boolean finished;
                if (i % 2 == 0) {
                    // Anywhere in 0-400 ms after the start: mostly JVM start-up, sometimes the work itself.
                    int delay = random.nextInt(401);
                    when = delay + " ms after start";
                    finished = p.waitFor(delay, TimeUnit.MILLISECONDS);
                } else {
                    // Aimed at the plugin's own work, whatever the machine's load: once the address is
                    // reserved, kill within the time the rest of an ADD took (bridge, veth, pod config).
                    awaitReservation(node, cid, p);
                    int delay = random.nextInt((int) (workMillis * 1.5) + 2);
                    when = delay + " ms after the reservation";
                    finished = p.waitFor(delay, TimeUnit.MILLISECONDS);
                }
                String killedIn = null;
                if (!finished) {
                    // ip netns exec, env and the launcher all exec, so this one PID ends up as the JVM. Before
                    // that, the launcher's helpers (grep, a subshell) are its only children: kill them too.
                    killedIn = p.info().command().map(c -> Path.of(c).getFileName().toString()).orElse("?");
                    List<ProcessHandle> helpers = p.descendants().toList();
                    p.destroyForcibly();
                    helpers.forEach(ProcessHandle::destroyForcibly);
                    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "killed plugin did not die");
                    for (ProcessHandle h : helpers) h.onExit().get(30, TimeUnit.SECONDS);
                }
                int exit = p.exitValue();
                String phase;
                if (exit == 0) {
                    completedFirst++;
                    phase = "completed";
                } else {
                    assertEquals(137, exit, "ADD " + cid + " failed by itself (not killed): " + Files.readString(node.out(cid)));
                    killedMidAdd++;
                    phase = "killed in " + killedIn + ": " + observedPhase(node, cid, pod);
                }
                phases.merge(phase, 1, Integer::sum);

                // What a runtime does after an ADD it lost track of: DEL for the same container and ifname.
                Cni.Call del = node.del(cid);
                assertEquals(0, del.exit(), "DEL after kill (" + phase + ", " + when + "): " + del.stdout() + del.stderr());
                String where = "after kill " + when + " (" + phase + ") and DEL, iteration " + i + ", seed " + seed;
                assertEquals(Set.of(), node.hostVeths(), "host veth left " + where);
                assertEquals(Map.of(), node.reservations(), "reservation left " + where);
                assertEquals(List.of("lo"), linkNames(pod), IFNAME + " left in the pod " + where);
            }

            // The node is still usable: whatever half-made bridge a kill left is repaired by the next ADD.
            String ip = address(node.add("after-kills", pod, null).ok());
            assertEquals(List.of(ip + "/24"), addrs4(pod, IFNAME));
            assertEquals(List.of(GATEWAY + "/24"), node.bridge().ipv4());
            assertPings(pod, GATEWAY);
            node.del("after-kills").ok();
            assertNodeClean(node, pod);

            System.out.printf("PluginRollbackIT SIGKILL: %d iterations (seed %d, an undisturbed ADD took %d ms): "
                            + "%d kills landed before the ADD completed, %d after; by state seen before DEL: %s%n",
                    iterations, seed, addMillis, killedMidAdd, completedFirst, phases);
            System.out.printf("PluginRollbackIT SIGKILL: of that ADD, %d ms came after the address was reserved%n", workMillis);
        }
    }

    /**
     * A killed ADD can leave the bridge just created: down, without the gateway address, and with the
     * kernel's random MAC. The next ADD must finish the job, fixed gateway MAC included: otherwise the
     * bridge takes its lowest port's MAC and changes it as pods come and go, and pods' ARP entries for
     * the gateway go stale.
     */
    @Test
    void addFinishesAHalfMadeBridgeLeftByAKilledAdd() throws IOException {
        try (BridgeNode node = BridgeNode.create(NETWORK, "jcni-halfbridge-")) {
            String pod = node.pod("pod");
            Sh.ip(node.name, "link", "add", BRIDGE, "type", "bridge").ok(); // what a kill right after creation leaves

            address(node.add("half", pod, null).ok());

            BridgeState bridge = node.bridge();
            assertEquals(List.of(GATEWAY + "/24"), bridge.ipv4());
            assertTrue(bridge.up(), "bridge is up");
            assertEquals(BridgeSetup.gatewayMac(java.net.InetAddress.getByName(GATEWAY)), bridge.mac(), "bridge MAC");
            assertPings(pod, GATEWAY);
            node.del("half").ok();
            assertNodeClean(node, pod);
        }
    }

    /** Waits until {@code cid} holds a reservation or the process ends; returns System.nanoTime() of the sighting, or -1. */
    private static long awaitReservation(BridgeNode node, String cid, Process p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            boolean alive = p.isAlive();
            if (node.reservations().values().stream().anyMatch(v -> v.startsWith(cid + "\n"))) return System.nanoTime();
            if (!alive) return -1;
            Thread.sleep(1);
        }
        throw new AssertionError("ADD " + cid + " neither reserved an address nor ended within 60 s");
    }

    /** How far a killed ADD got, judged from what it left before the DEL. */
    private static String observedPhase(BridgeNode node, String cid, String pod) {
        boolean reserved = node.reservations().values().stream().anyMatch(v -> v.startsWith(cid + "\n"));
        boolean veth = node.hostVeths().contains(InterfaceNames.hostVeth(cid, IFNAME));
        boolean podIf = linkNames(pod).contains(IFNAME);
        if (veth && podIf) return "veth made";
        if (veth || podIf) return "half a veth";
        if (reserved) return "address reserved";
        return "nothing yet";
    }

    // ------------------------------------------------------------------ helpers

    private static void assertNodeClean(BridgeNode node, String pod) {
        assertEquals(Set.of(), node.hostVeths(), "host veth left");
        assertEquals(Map.of(), node.reservations(), "reservation left");
        assertEquals(List.of("lo"), linkNames(pod), IFNAME + " left in the pod");
    }
}
