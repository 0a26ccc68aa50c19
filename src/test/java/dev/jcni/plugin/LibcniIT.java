package dev.jcni.plugin;

import dev.jcni.json.Json;
import dev.jcni.testing.Dist;
import dev.jcni.testing.Privileged;
import dev.jcni.testing.Sh;
import dev.jcni.testing.TestNamespaces;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * jcni driven by libcni (the library containerd, CRI-O and podman use), through the shared
 * {@code cniclient}, alone and chained with the reference portmap and bandwidth plugins. Every call
 * runs inside a "node" namespace of the test's own; the root namespace is never touched.
 */
@Privileged
class LibcniIT {
    private static final String NETWORK = "jcnitest";
    private static final Path REF = Dist.referencePlugins();
    /** The Debian libcni sources cniclient's build.sh compiles against (GOPATH mode). */
    private static final Path LIBCNI_VERSION_GO =
            Path.of("/usr/share/gocode/src/github.com/containernetworking/cni/pkg/version/version.go");
    private static final Pattern INET = Pattern.compile("\\binet (10\\.240\\.0\\.\\d+)/24\\b");

    private static Path cniclient;
    private static Path jcni;

    @BeforeAll
    static void buildClient() {
        jcni = Dist.jcni();
        Path build = Dist.shared().resolve("tools/cniclient/build.sh");
        assumeTrue(Files.isRegularFile(build),
                "skipped: " + build + " is absent (the shared tools are expected beside the checkout, or at -Djcni.shared)");
        cniclient = Dist.home().getParent().resolve("target/cniclient");
        Sh.Result r = Sh.run("sh", build.toString(), cniclient.toString());
        assertEquals(0, r.exit(), () -> "building cniclient failed: " + r.err() + r.out());
        assertTrue(Files.isExecutable(cniclient), "build.sh did not produce " + cniclient);
    }

    // ---------------------------------------------------------------- the chain

    @ParameterizedTest(name = "jcni+portmap+bandwidth at cniVersion {0}")
    @ValueSource(strings = {"1.1.0", "1.0.0"})
    void chainThroughLibcni(String version) throws IOException {
        for (String p : List.of("portmap", "bandwidth")) {
            assumeTrue(Files.isExecutable(REF.resolve(p)), "skipped: " + REF.resolve(p)
                    + " is missing (Debian package containernetworking-plugins)");
        }
        assumeTrue(onPath("iptables"), "skipped: portmap needs iptables (Debian package iptables)");
        assumeLibcniSupports(version);
        try (TestNamespaces ns = new TestNamespaces(); Tmp tmp = new Tmp("jcni-libcni")) {
            Env env = new Env(ns, tmp);
            Path conf = tmp.write("chain.conflist", "{\"cniVersion\":\"" + version + "\",\"name\":\"" + NETWORK + "\",\"plugins\":["
                    + "{\"type\":\"jcni\",\"podcidr\":\"10.240.0.0/24\",\"dataDir\":\"" + env.dataDir + "\",\"bridge\":\"cni0\"},"
                    + "{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true}},"
                    + "{\"type\":\"bandwidth\",\"capabilities\":{\"bandwidth\":true}}]}");
            String id = "libcni-" + ns.prefix();

            // VERSION: libcni asks every plugin of the list.
            Sh.Result v = env.client("version", conf, null, id, null).ok();
            for (String line : v.out().strip().split("\n")) {
                Map<String, Object> info = map(Json.parse(line));
                List<?> supported = (List<?>) info.get("supportedVersions");
                if ("jcni".equals(info.get("type"))) {
                    assertTrue(supported.containsAll(List.of("0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0")), "jcni: " + supported);
                } else {
                    assumeTrue(supported.contains(version), "skipped: the installed reference " + info.get("type")
                            + " (/usr/lib/cni) supports only " + supported + ", not cniVersion " + version);
                }
            }

            // VALIDATE: every plugin accepts its config; the capabilities of the list are reported.
            Map<String, Object> caps = map(Json.parse(env.client("validate", conf, null, id, null).ok().out()));
            assertEquals(List.of("portMappings", "bandwidth"), caps.get("capabilities"));

            String bw = "\"bandwidth\":{\"ingressRate\":1000000,\"ingressBurst\":100000,\"egressRate\":1000000,\"egressBurst\":100000}";
            String addCaps = "{\"portMappings\":[{\"hostPort\":18080,\"containerPort\":80,\"protocol\":\"tcp\"}]," + bw + "}";

            // ADD
            Path pod = ns.create("pod");
            Map<String, Object> result = map(Json.parse(env.client("add", conf, pod, id, addCaps).ok().out()));
            assertEquals(version, result.get("cniVersion"));
            String ip = singleAddress(result);
            assertEquals(ip, podAddress(ns.fullName("pod")), "the pod has the address of the result");
            String veth = InterfaceNames.hostVeth(id, "eth0");
            assertEquals(List.of(veth), env.hostVeths(), "one host veth, with jcni's derived name");
            assertTrue(interfaceNames(result).contains(veth), "the result reports the host veth: " + result);
            Path reservation = env.reservation(ip);
            assertEquals(id + "\neth0", Files.readString(reservation).strip());
            // The chained plugins acted on jcni's result: a DNAT chain for the port, an ifb for the shaping.
            assertTrue(env.natRules().contains("--dport 18080"), "portmap DNAT rule present: " + env.natRules());
            assertTrue(env.links().stream().anyMatch(l -> l.startsWith("bwp")), "bandwidth's ifb present: " + env.links());

            // CHECK. Only bandwidth's capability is passed: the installed portmap (1.1.1) fails CHECK for an
            // IPv4-only pod with port mappings (containernetworking/plugins#819), and the installed bandwidth
            // panics on CHECK with no bandwidth args (containernetworking/plugins#1221). Neither is jcni's doing.
            Sh.Result check = env.client("check", conf, pod, id, "{" + bw + "}");
            assertEquals(0, check.exit(), () -> "CHECK failed: " + check.err() + check.out());

            // DEL, twice: everything gone, the second is a no-op success.
            env.client("del", conf, pod, id, addCaps).ok();
            assertEquals(List.of(), env.hostVeths(), "no jc* link left in the node");
            assertFalse(Files.exists(reservation), "reservation " + reservation + " released");
            assertFalse(env.natRules().contains("--dport 18080"), "portmap rule removed: " + env.natRules());
            assertTrue(env.links().stream().noneMatch(l -> l.startsWith("bwp")), "bandwidth's ifb removed: " + env.links());
            env.client("del", conf, pod, id, addCaps).ok();
            assertEquals(List.of(), env.hostVeths());
            assertEquals(List.of(), env.reservations());
        }
    }

    // ---------------------------------------------------------------- jcni alone

    @ParameterizedTest(name = "jcni alone at cniVersion {0}")
    @ValueSource(strings = {"0.4.0", "1.0.0", "1.1.0"})
    void plainConflistThroughLibcni(String version) throws IOException {
        assumeLibcniSupports(version);
        try (TestNamespaces ns = new TestNamespaces(); Tmp tmp = new Tmp("jcni-libcni")) {
            Env env = new Env(ns, tmp);
            Path conf = tmp.write("plain.conflist", "{\"cniVersion\":\"" + version + "\",\"name\":\"" + NETWORK + "\",\"plugins\":["
                    + "{\"type\":\"jcni\",\"podcidr\":\"10.240.0.0/24\",\"dataDir\":\"" + env.dataDir + "\"}]}");
            String id = "plain-" + ns.prefix();
            Path pod = ns.create("pod");

            Map<String, Object> result = map(Json.parse(env.client("add", conf, pod, id, null).ok().out()));
            assertEquals(version, result.get("cniVersion"));
            String ip = singleAddress(result);
            Map<String, Object> ipEntry = map(((List<?>) result.get("ips")).getFirst());
            if (version.equals("0.4.0")) {
                assertEquals("4", ipEntry.get("version"), "0.4.0 results carry ips[].version");
            } else {
                assertFalse(ipEntry.containsKey("version"), "1.0.0+ results have no ips[].version: " + ipEntry);
            }
            assertEquals(ip, podAddress(ns.fullName("pod")));
            Path reservation = env.reservation(ip);

            env.client("check", conf, pod, id, null).ok();
            // CHECK is judged against the cached result: take the address away and it must fail, naming it.
            Sh.ip(ns.fullName("pod"), "addr", "flush", "dev", "eth0").ok();
            Sh.Result broken = env.client("check", conf, pod, id, null);
            assertNotEquals(0, broken.exit(), "CHECK must fail when the pod lost its address");
            assertTrue((broken.err() + broken.out()).contains(ip), "the failure names the address: " + broken.err() + broken.out());

            env.client("del", conf, pod, id, null).ok();
            assertEquals(List.of(), env.hostVeths());
            assertFalse(Files.exists(reservation));
            env.client("del", conf, pod, id, null).ok();
        }
    }

    /** kubelet calls DEL after the pod sandbox (and its netns) is gone: it must succeed and leak nothing. */
    @Test
    void delAfterThePodNamespaceIsGone() throws IOException {
        try (TestNamespaces ns = new TestNamespaces(); Tmp tmp = new Tmp("jcni-libcni")) {
            Env env = new Env(ns, tmp);
            Path conf = tmp.write("plain.conflist", "{\"cniVersion\":\"1.0.0\",\"name\":\"" + NETWORK + "\",\"plugins\":["
                    + "{\"type\":\"jcni\",\"podcidr\":\"10.240.0.0/24\",\"dataDir\":\"" + env.dataDir + "\"}]}");
            String id = "gone-" + ns.prefix();
            Path pod = ns.create("pod");
            String ip = singleAddress(map(Json.parse(env.client("add", conf, pod, id, null).ok().out())));
            Path reservation = env.reservation(ip);
            Sh.run("ip", "netns", "delete", ns.fullName("pod")).ok(); // the veth pair dies with it
            env.client("del", conf, pod, id, null).ok();
            assertFalse(Files.exists(reservation), "the reservation is released even without the netns");
            assertEquals(List.of(), env.hostVeths());
        }
    }

    // ---------------------------------------------------------------- helpers

    /** One test's node namespace, data dir and libcni cache dir. */
    private static final class Env {
        final String node;
        final Path dataDir;
        final Path cacheDir;

        Env(TestNamespaces ns, Tmp tmp) throws IOException {
            ns.create("node");
            node = ns.fullName("node");
            dataDir = Files.createDirectories(tmp.dir.resolve("data"));
            cacheDir = Files.createDirectories(tmp.dir.resolve("cache"));
        }

        /** {@code cniclient VERB CONF NETNS ID eth0} inside the node namespace, with a clean environment. */
        Sh.Result client(String verb, Path conf, Path netns, String id, String capArgs) {
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", node, "env", "-i",
                    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                    "CNI_PATH=" + jcni.getParent() + ":" + REF, "CNI_CACHE_DIR=" + cacheDir));
            if (capArgs != null) cmd.add("CAP_ARGS=" + capArgs);
            cmd.addAll(List.of(cniclient.toString(), verb, conf.toString(), netns == null ? "" : netns.toString(), id, "eth0"));
            return Sh.run(cmd, null);
        }

        List<String> links() {
            List<String> names = new ArrayList<>();
            for (Object o : (List<?>) Json.parse(Sh.ip(node, "-j", "link", "show").ok().out())) {
                names.add(String.valueOf(map(o).get("ifname")));
            }
            return names;
        }

        List<String> hostVeths() {
            return links().stream().filter(n -> n.startsWith(InterfaceNames.HOST_VETH_PREFIX)).toList();
        }

        String natRules() {
            return Sh.run("ip", "netns", "exec", node, "iptables", "-w", "-t", "nat", "-S").ok().out();
        }

        Path reservation(String ip) {
            Path f = dataDir.resolve(NETWORK).resolve(ip);
            assertTrue(Files.isRegularFile(f), "reservation file " + f + " exists");
            return f;
        }

        /** Reservation files (named by address) left in the network's store. */
        List<String> reservations() throws IOException {
            Path dir = dataDir.resolve(NETWORK);
            if (!Files.isDirectory(dir)) return List.of();
            try (Stream<Path> s = Files.list(dir)) {
                return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+\\.\\d+\\.\\d+\\.\\d+|[0-9a-fA-F_]+")).toList();
            }
        }
    }

    /** A temp directory, removed recursively on close. */
    static final class Tmp implements AutoCloseable {
        final Path dir;

        Tmp(String prefix) throws IOException { dir = Files.createTempDirectory(prefix); }

        Path write(String name, String content) throws IOException { return Files.writeString(dir.resolve(name), content); }

        @Override
        public void close() { deleteTree(dir); }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root, e);
        }
    }

    /**
     * cniclient is built against Debian's libcni sources; libcni before 1.2 cannot parse a 1.1.0 result
     * ("unsupported CNI result version"), so such a config cannot be driven through it at all.
     */
    private static void assumeLibcniSupports(String version) {
        if (!Files.isRegularFile(LIBCNI_VERSION_GO)) return; // unknown libcni: try, and let the test say
        try {
            String src = Files.readString(LIBCNI_VERSION_GO);
            Matcher m = Pattern.compile("var All = PluginSupports\\(([^)]*)\\)").matcher(src);
            if (m.find()) {
                assumeTrue(m.group(1).contains("\"" + version + "\""), "skipped: the installed libcni ("
                        + "golang-github-appc-cni-dev, which cniclient is built from) supports only " + m.group(1).strip()
                        + ", not cniVersion " + version);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean onPath(String tool) {
        return Sh.run("sh", "-c", "command -v " + tool).exit() == 0;
    }

    private static String singleAddress(Map<String, Object> result) {
        List<?> ips = (List<?>) result.get("ips");
        assertNotNull(ips, "result has ips: " + result);
        assertEquals(1, ips.size(), "one address: " + ips);
        String cidr = String.valueOf(map(ips.getFirst()).get("address"));
        assertTrue(cidr.matches("10\\.240\\.0\\.\\d+/24"), "address from the pod range: " + cidr);
        return cidr.substring(0, cidr.indexOf('/'));
    }

    private static List<String> interfaceNames(Map<String, Object> result) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) result.get("interfaces")) out.add(String.valueOf(map(o).get("name")));
        return out;
    }

    private static String podAddress(String podNs) {
        Matcher m = INET.matcher(Sh.ip(podNs, "-4", "addr", "show", "eth0").ok().out());
        assertTrue(m.find(), "eth0 in the pod has a 10.240.0.x/24 address");
        return m.group(1);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) { return (Map<String, Object>) o; }
}
