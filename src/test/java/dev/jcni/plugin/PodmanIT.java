package dev.jcni.plugin;

import dev.jcni.json.Json;
import dev.jcni.testing.Dist;
import dev.jcni.testing.Privileged;
import dev.jcni.testing.Sh;
import dev.jcni.testing.TestNamespaces;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real containers: podman 4 (its CNI backend calls plugins through libcni) runs two busybox
 * containers on a jcni network, confined by the shared {@code podman-cni} wrapper to a node namespace
 * of the test's own. A pings B; removing both leaves no host veth and no reservation behind.
 */
@Privileged
class PodmanIT {
    private static final String NETWORK = "jcnipod";
    private static final Pattern INET = Pattern.compile("\\binet (10\\.240\\.0\\.\\d+)/24\\b");
    private static final Pattern LINK_NETNS = Pattern.compile("link-netns (\\S+)");

    private static Path podmanCni;
    private static Path pluginDir;

    @BeforeAll
    static void locate() {
        pluginDir = Dist.jcni().getParent(); // holds "jcni"; the launcher finds lib/ beside it
        podmanCni = Dist.shared().resolve("tools/podman-cni/podman-cni");
        assumeTrue(Files.isRegularFile(podmanCni),
                "skipped: " + podmanCni + " is absent (the shared tools are expected beside the checkout, or at -Djcni.shared)");
    }

    @Test
    void twoContainersOnJcniReachEachOtherAndLeaveNothingBehind() throws IOException {
        TestNamespaces ns = new TestNamespaces();
        Path tmp = Files.createTempDirectory("jcni-podman");
        Path state = tmp.resolve("state");
        Path dataDir = tmp.resolve("data");
        List<String> started = new ArrayList<>();
        Set<String> podNetns = new LinkedHashSet<>();
        Podman pm = null;
        try {
            ns.create("node");
            String node = ns.fullName("node");
            Path conf = Files.writeString(tmp.resolve(NETWORK + ".conflist"),
                    // podman 4.3 vendors libcni 1.1, which handles results up to cniVersion 1.0.0
                    "{\"cniVersion\":\"1.0.0\",\"name\":\"" + NETWORK + "\",\"plugins\":["
                            + "{\"type\":\"jcni\",\"podcidr\":\"10.240.0.0/24\",\"dataDir\":\"" + dataDir + "\",\"bridge\":\"cni0\"},"
                            + "{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true}}]}");
            pm = new Podman(node, conf, state);

            preflight(ns, tmp, state);

            for (String name : List.of("a", "b")) {
                started.add(name);
                Sh.Result r = pm.run("start", name);
                assertEquals(0, r.exit(), () -> "podman start " + name + " failed: " + r.err() + r.out());
            }
            List<String> veths = hostVeths(node);
            assertEquals(2, veths.size(), "one jc* host veth per container: " + veths);
            for (String v : veths) {
                Matcher m = LINK_NETNS.matcher(Sh.ip(node, "link", "show", v).ok().out());
                if (m.find()) podNetns.add(m.group(1)); // podman's own netns-<uuid>, for the cleanup below
            }
            String ipA = containerAddress(pm, "a");
            String ipB = containerAddress(pm, "b");
            assertNotEquals(ipA, ipB);
            assertEquals(Set.of(ipA, ipB), Set.copyOf(reservations(dataDir)), "one reservation per container");

            Sh.Result ping = pm.run("exec", "a", "ping -c 3 -W 2 " + ipB);
            assertEquals(0, ping.exit(), () -> "a cannot ping b at " + ipB + ": " + ping.out() + ping.err());
            assertTrue(ping.out().contains(" 0% packet loss"), ping.out());
            Sh.Result back = pm.run("exec", "b", "ping -c 1 -W 2 " + ipA);
            assertEquals(0, back.exit(), () -> "b cannot ping a at " + ipA + ": " + back.out() + back.err());

            for (String name : List.of("a", "b")) {
                Sh.Result r = pm.run("rm", name);
                assertEquals(0, r.exit(), () -> "podman rm " + name + " failed: " + r.err() + r.out());
                started.remove(name);
            }
            assertEquals(List.of(), hostVeths(node), "no jc* link left in the node namespace");
            assertEquals(List.of(), reservations(dataDir), "no reservation file left");
            for (String n : podNetns) assertFalse(Files.exists(Path.of("/run/netns", n)), "podman removed its netns " + n);
        } finally {
            if (pm != null) for (String name : started) pm.run("rm", name);
            killProcessesUnder(state);
            for (String n : podNetns) {
                if (Files.exists(Path.of("/run/netns", n))) Sh.run("ip", "netns", "delete", n);
            }
            unmountUnder(state);
            deleteTree(tmp);
            ns.close();
        }
    }

    /**
     * Can podman run a container here at all? Asked with the reference bridge plugin, in a namespace of
     * its own, so a jcni failure is never mistaken for an environment that cannot run podman.
     */
    private static void preflight(TestNamespaces ns, Path tmp, Path state) throws IOException {
        if (!Files.isExecutable(Dist.referencePlugins().resolve("bridge"))) return;
        ns.create("pre");
        Path conf = Files.writeString(tmp.resolve("preflight.conflist"),
                "{\"cniVersion\":\"1.0.0\",\"name\":\"preflight\",\"plugins\":[{\"type\":\"bridge\",\"bridge\":\"cni9\","
                        + "\"isGateway\":true,\"ipMasq\":false,\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.240.0.0/24\","
                        + "\"dataDir\":\"" + tmp.resolve("pre-ipam") + "\"}}]}");
        Sh.Result r = new Podman(ns.fullName("pre"), conf, state).run("run", "true");
        assumeTrue(r.exit() == 0, "skipped: podman cannot run a container here even with the reference bridge plugin: "
                + r.err().strip() + " " + r.out().strip());
    }

    private record Podman(String node, Path conf, Path state) {
        Sh.Result run(String verb, String... args) {
            List<String> cmd = new ArrayList<>(List.of("env", "PODMAN_CNI_STATE=" + state, podmanCni.toString(), verb, node,
                    pluginDir.toString(), conf.toString()));
            cmd.addAll(List.of(args));
            return Sh.run(cmd, null);
        }
    }

    private static String containerAddress(Podman pm, String name) {
        Sh.Result r = pm.run("exec", name, "ip -4 addr show eth0");
        assertEquals(0, r.exit(), () -> "exec in " + name + ": " + r.err() + r.out());
        Matcher m = INET.matcher(r.out());
        assertTrue(m.find(), name + "'s eth0 has an address from the pod range: " + r.out());
        return m.group(1);
    }

    private static List<String> hostVeths(String node) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) Json.parse(Sh.ip(node, "-j", "link", "show").ok().out())) {
            String n = String.valueOf(((Map<?, ?>) o).get("ifname"));
            if (n.startsWith(InterfaceNames.HOST_VETH_PREFIX)) out.add(n);
        }
        return out;
    }

    private static List<String> reservations(Path dataDir) throws IOException {
        Path dir = dataDir.resolve(NETWORK);
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")).sorted().toList();
        }
    }

    /** conmon (and anything else) still running out of this test's podman state: ours, ended by pid. */
    private static void killProcessesUnder(Path state) {
        String marker = state.toString();
        ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .filter(p -> p.info().command().map(c -> c.endsWith("conmon") || c.endsWith("sleep") || c.endsWith("busybox")).orElse(false))
                .forEach(p -> {
                    System.err.println("cleanup: killing leftover " + p.pid() + " " + p.info().commandLine().orElse(""));
                    p.destroyForcibly();
                });
    }

    /** podman leaves shm (and possibly overlay) mounts under its storage; they must go before the directory can. */
    private static void unmountUnder(Path state) {
        String prefix = state.toString() + "/";
        List<String> points = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length > 4) {
                    String mp = f[4].replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
                    if (mp.startsWith(prefix) || mp.equals(state.toString())) points.add(mp);
                }
            }
        } catch (IOException e) {
            System.err.println("cleanup: cannot read mountinfo: " + e);
        }
        points.sort(Comparator.comparingInt(String::length).reversed());
        for (String mp : points) {
            if (Sh.run("umount", mp).exit() != 0) Sh.run("umount", "-l", mp);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root, e);
        }
    }
}
