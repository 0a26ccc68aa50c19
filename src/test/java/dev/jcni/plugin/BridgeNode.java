package dev.jcni.plugin;

import dev.jcni.testing.Cni;
import dev.jcni.testing.Dist;
import dev.jcni.testing.Sh;
import dev.jcni.testing.TestNamespaces;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A throw-away "node" namespace where dist/bin/jcni runs with a bridge config ({@link #BRIDGE}, the
 * 10.240.0.0/24 range), pod namespaces beside it, and a per-test temp dataDir for IPAM state and plugin
 * output; the kernel is read through {@code ip -o} text. Closing it removes the namespaces, then the
 * dataDir. Shared by {@link PluginConcurrencyIT} and {@link PluginRollbackIT}; nothing here touches the
 * root namespace.
 */
final class BridgeNode implements AutoCloseable {
    static final String BRIDGE = "cni0";
    static final String GATEWAY = "10.240.0.1";
    static final String IFNAME = "eth0";

    private final TestNamespaces ns;
    /** The network name in the config, and so the name of the IPAM directory under dataDir. */
    final String network;
    /** The node namespace's name, for {@code ip -n} and {@code ip netns exec}. */
    final String name;
    final Path dataDir;
    final Path outDir;

    private BridgeNode(TestNamespaces ns, String network, Path dataDir) throws IOException {
        this.ns = ns;
        this.network = network;
        ns.create("node");
        this.name = ns.fullName("node");
        this.dataDir = dataDir;
        this.outDir = Files.createDirectories(dataDir.resolve("out"));
        Sh.ip(name, "link", "set", "lo", "up").ok();
    }

    /** A new node for network {@code network}, with its dataDir a new temp directory named {@code tempPrefix...}. */
    static BridgeNode create(String network, String tempPrefix) throws IOException {
        Path dataDir = Files.createTempDirectory(tempPrefix);
        TestNamespaces ns = new TestNamespaces();
        boolean ok = false;
        try {
            BridgeNode node = new BridgeNode(ns, network, dataDir);
            ok = true;
            return node;
        } finally {
            if (!ok) {
                try {
                    ns.close();
                } finally {
                    deleteTree(dataDir);
                }
            }
        }
    }

    /** Creates a pod namespace and returns its name. */
    String pod(String podName) {
        ns.create(podName);
        return ns.fullName(podName);
    }

    @Override
    public void close() throws IOException {
        try {
            ns.close();
        } finally {
            deleteTree(dataDir);
        }
    }

    // ---- calling the plugin --------------------------------------------------------------------

    String conf() {
        return """
                {"cniVersion":"1.1.0","name":"%s","type":"jcni","bridge":"%s",\
                "podcidr":"10.240.0.0/24","dataDir":"%s"}""".formatted(network, BRIDGE, dataDir);
    }

    /** The env of one verb for {@code cid} on {@link #IFNAME}; {@code podNs} null leaves CNI_NETNS out. */
    Map<String, String> env(String verb, String cid, String podNs) {
        return Cni.env(verb, cid, podNs == null ? null : "/run/netns/" + podNs, IFNAME);
    }

    Cni.Call call(Map<String, String> env) { return Cni.call(name, env, conf()); }

    Cni.Call run(String verb, String cid, String podNs) { return call(env(verb, cid, podNs)); }

    /** ADD of {@code cid} into {@code podNs}, failing at step {@code failAt} ({@link Faults#ENV}) when that is not null. */
    Cni.Call add(String cid, String podNs, String failAt) {
        Map<String, String> env = env("ADD", cid, podNs);
        if (failAt != null) env.put(Faults.ENV, failAt);
        return call(env);
    }

    /** DEL of {@code cid}, without CNI_NETNS. */
    Cni.Call del(String cid) { return run("DEL", cid, null); }

    Path out(String base) { return outDir.resolve(base + ".out"); }

    Path err(String base) { return outDir.resolve(base + ".err"); }

    /**
     * Starts the plugin as a process of its own: ip netns exec NODE env -i CNI_...=... jcni, stdout and
     * stderr to {@link #out}/{@link #err} of {@code base}. Writing the config to its stdin is the caller's.
     */
    Process launch(String verb, String cid, String podNs, String base) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name, "env", "-i"));
        env(verb, cid, podNs).forEach((k, v) -> cmd.add(k + "=" + v));
        cmd.add(Dist.jcni().toString());
        return new ProcessBuilder(cmd).redirectOutput(out(base).toFile()).redirectError(err(base).toFile()).start();
    }

    /** {@link #launch} with output named by {@code cid}, config written at once (for SIGKILL at any moment). */
    Process start(String verb, String cid, String podNs) throws IOException {
        Process p = launch(verb, cid, podNs, cid);
        try (var stdin = p.getOutputStream()) {
            stdin.write(conf().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // killed before it read its stdin: that is one of the moments we want
        }
        return p;
    }

    // ---- node state ----------------------------------------------------------------------------

    /** Host-side veths of jcni in the node namespace. */
    Set<String> hostVeths() {
        Set<String> out = new TreeSet<>();
        for (String n : linkNames(name)) if (n.startsWith(InterfaceNames.HOST_VETH_PREFIX)) out.add(n);
        return out;
    }

    /** Ports of the bridge, or null when there is no bridge. */
    Set<String> bridgePortsOrNull() {
        if (!linkNames(name).contains(BRIDGE)) return null;
        return bridgePorts();
    }

    Set<String> bridgePorts() {
        return new TreeSet<>(namesOf(Sh.ip(name, "-o", "link", "show", "master", BRIDGE).ok().out()));
    }

    /** Names of all bridges in the node namespace. */
    List<String> bridges() {
        return namesOf(Sh.ip(name, "-o", "link", "show", "type", "bridge").ok().out());
    }

    /** The bridge as far as the tests care: MAC, MTU, admin state and IPv4 addresses. */
    record BridgeState(String mac, int mtu, boolean up, List<String> ipv4) {}

    /** The bridge's state, or null when it does not exist. */
    BridgeState bridge() {
        if (!linkNames(name).contains(BRIDGE)) return null;
        String line = Sh.ip(name, "-o", "link", "show", "dev", BRIDGE).ok().out();
        Matcher mac = Pattern.compile("link/ether (\\S+)").matcher(line);
        Matcher mtu = Pattern.compile(" mtu (\\d+)").matcher(line);
        Matcher flags = Pattern.compile("<([^>]*)>").matcher(line);
        assertTrue(mac.find() && mtu.find() && flags.find(), "cannot parse: " + line);
        boolean up = List.of(flags.group(1).split(",")).contains("UP");
        return new BridgeState(mac.group(1), Integer.parseInt(mtu.group(1)), up, addrs4(name, BRIDGE));
    }

    /**
     * Every file in dataDir/network except {@code lock} and {@code last_reserved_ip.*}, name to content:
     * reservations, and anything else a crash could leave (temp files), which must not stay either.
     */
    Map<String, String> reservations() {
        Path dir = dataDir.resolve(network);
        Map<String, String> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.toList()) {
                String n = f.getFileName().toString();
                if (n.equals("lock") || n.startsWith("last_reserved_ip.")) continue;
                String content;
                try {
                    content = Files.readString(f);
                } catch (IOException gone) {
                    content = "<unreadable: " + gone + ">";
                }
                out.put(n, content);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list " + dir, e);
        }
        return out;
    }

    // ---- shared checks -------------------------------------------------------------------------

    /** The one address of an ADD result, asserted to be in the pod range, without its prefix length. */
    static String address(Cni.Call call) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> ips = (List<Map<String, Object>>) call.json().get("ips");
        assertEquals(1, ips.size(), "one address: " + call.stdout());
        String cidr = (String) ips.getFirst().get("address");
        assertTrue(cidr.startsWith("10.240.0.") && cidr.endsWith("/24"), "address in the pod range: " + cidr);
        return cidr.substring(0, cidr.indexOf('/'));
    }

    static void assertPings(String fromNs, String ip) {
        Sh.Result r = Sh.run(List.of("ip", "netns", "exec", fromNs, "ping", "-n", "-q", "-c", "3", "-i", "0.2", "-W", "2", ip), null);
        assertEquals(0, r.exit(), fromNs + " cannot reach " + ip + ": " + r.out() + r.err());
    }

    /** Link names in a namespace, without the "@peer" part. */
    static List<String> linkNames(String netns) {
        return namesOf(Sh.ip(netns, "-o", "link", "show").ok().out());
    }

    /** Link names from {@code ip -o link} output, without the "@peer" part. */
    static List<String> namesOf(String ipOutput) {
        List<String> names = new ArrayList<>();
        for (String line : ipOutput.split("\n")) {
            if (line.isBlank()) continue;
            String n = line.split(": ", 3)[1];
            int at = n.indexOf('@');
            names.add(at < 0 ? n : n.substring(0, at));
        }
        return names;
    }

    /** IPv4 addresses (with prefix length) of {@code dev} in {@code netns}. */
    static List<String> addrs4(String netns, String dev) {
        List<String> out = new ArrayList<>();
        for (String line : Sh.ip(netns, "-4", "-o", "addr", "show", "dev", dev).ok().out().split("\n")) {
            Matcher m = Pattern.compile(" inet (\\S+)").matcher(line);
            if (m.find()) out.add(m.group(1));
        }
        return out;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
