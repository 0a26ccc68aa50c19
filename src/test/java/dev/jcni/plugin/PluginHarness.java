package dev.jcni.plugin;

import dev.jcni.ipam.IpAddresses;
import dev.jcni.json.Json;
import dev.jcni.testing.Cni;
import dev.jcni.testing.Sh;
import dev.jcni.testing.TestNamespaces;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One privileged plugin test's world: a "node" namespace where dist/bin/jcni runs, any number of pod
 * namespaces, and a dataDir under the test's own temp dir. Everything lives in namespaces of this
 * harness, so closing it (in a finally / try-with-resources) removes every link the plugin made.
 */
final class PluginHarness implements AutoCloseable {
    static final String NETWORK = "jtnet";
    static final String POD_CIDR = "10.240.0.0/24";
    static final String POD_CIDR6 = "fd00:10:240::/64";
    static final String GATEWAY = "10.240.0.1";
    static final String GATEWAY6 = "fd00:10:240::1";

    final TestNamespaces ns = new TestNamespaces();
    final String node;
    final Path dataDir;

    PluginHarness(Path tempDir) {
        boolean ok = false;
        try {
            ns.create("node");
            node = ns.fullName("node");
            dataDir = tempDir.resolve("data");
            ok = true;
        } finally {
            if (!ok) ns.close();
        }
    }

    /** Creates a pod namespace and returns its path (the CNI_NETNS value). */
    Path pod(String name) { return ns.create(name); }

    /** The name of a pod namespace made by {@link #pod}, for {@code ip -n} and {@code ip netns exec}. */
    String podName(String name) { return ns.fullName(name); }

    // ---- configs -------------------------------------------------------------------------------

    /** A mutable single-network config: this test's dataDir and the IPv4 pod range. */
    Map<String, Object> conf(String cniVersion) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("cniVersion", cniVersion);
        c.put("name", NETWORK);
        c.put("type", "jcni");
        c.put("podcidr", POD_CIDR);
        c.put("dataDir", dataDir.toString());
        return c;
    }

    Map<String, Object> conf() { return conf("1.1.0"); }

    static String json(Map<String, Object> conf) { return Json.write(conf); }

    /** A copy of {@code conf} carrying {@code prevResult}. */
    static String withPrev(Map<String, Object> conf, Map<String, Object> prevResult) {
        Map<String, Object> c = new LinkedHashMap<>(conf);
        c.put("prevResult", prevResult);
        return Json.write(c);
    }

    // ---- calling the plugin --------------------------------------------------------------------

    Map<String, String> env(String command, String containerId, Path netns, String ifname) {
        return Cni.env(command, containerId, netns == null ? null : netns.toString(), ifname);
    }

    Cni.Call call(Map<String, String> env, String stdin) { return Cni.call(node, env, stdin); }

    Cni.Call add(String containerId, Path netns, String ifname, String conf) {
        return call(env("ADD", containerId, netns, ifname), conf);
    }

    Cni.Call del(String containerId, Path netns, String ifname, String conf) {
        return call(env("DEL", containerId, netns, ifname), conf);
    }

    Cni.Call check(String containerId, Path netns, String ifname, String conf) {
        return call(env("CHECK", containerId, netns, ifname), conf);
    }

    Cni.Call status(String conf) { return call(env("STATUS", null, null, null), conf); }

    Cni.Call gc(String conf) { return call(env("GC", null, null, null), conf); }

    /** ADD that must succeed; returns the parsed result. */
    Map<String, Object> added(String containerId, Path netns, String ifname, Map<String, Object> conf) {
        return add(containerId, netns, ifname, json(conf)).ok().json();
    }

    /** A verb that prints nothing on success (DEL, CHECK, STATUS, GC) succeeded and printed nothing. */
    static void silentOk(Cni.Call c) {
        c.ok();
        assertEquals("", c.stdout().strip(), "a successful verb other than ADD prints nothing");
    }

    // ---- kernel state --------------------------------------------------------------------------

    /** {@code ip -n NS -j ARGS...}, parsed. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> ipJson(String netns, String... args) {
        String[] full = new String[args.length + 1];
        full[0] = "-j";
        System.arraycopy(args, 0, full, 1, args.length);
        String out = Sh.ip(netns, full).ok().out().strip();
        return out.isEmpty() ? List.of() : (List<Map<String, Object>>) Json.parse(out);
    }

    /** A link in {@code netns} by name, with details (-d), if present. */
    static Optional<Map<String, Object>> link(String netns, String name) {
        return ipJson(netns, "-d", "link", "show").stream().filter(l -> name.equals(l.get("ifname"))).findFirst();
    }

    /** Names of the jc* host veths in the node namespace. */
    List<String> hostVeths() {
        return ipJson(node, "link", "show").stream().map(l -> (String) l.get("ifname"))
                .filter(n -> n.startsWith(InterfaceNames.HOST_VETH_PREFIX)).toList();
    }

    static String hostVeth(String containerId, String ifname) { return InterfaceNames.hostVeth(containerId, ifname); }

    /** The {@code addr_info} entries of {@code dev} in {@code netns} (empty when the link is gone). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> addrs(String netns, String dev) {
        return link(netns, dev).isEmpty() ? List.of()
                : ipJson(netns, "addr", "show", "dev", dev).stream()
                .flatMap(l -> ((List<Map<String, Object>>) l.get("addr_info")).stream()).toList();
    }

    static Optional<Map<String, Object>> addr(String netns, String dev, String local) {
        return addrs(netns, dev).stream().filter(a -> local.equals(a.get("local"))).findFirst();
    }

    /** Default routes of one family ("-4" or "-6") in the main table of {@code netns}. */
    static List<Map<String, Object>> defaultRoutes(String netns, String family) {
        return ipJson(netns, family, "route", "show", "default");
    }

    /** Pings from a pod namespace; retried a little, since the first ARP/ND exchange may cost a packet. */
    static boolean ping(String podNs, String target) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", podNs, "ping"));
        if (target.indexOf(':') >= 0) cmd.add("-6");
        cmd.addAll(List.of("-c1", "-W2", target));
        for (int i = 0; i < 3; i++) {
            if (Sh.run(cmd, null).exit() == 0) return true;
        }
        return false;
    }

    // ---- reservations --------------------------------------------------------------------------

    /** dataDir/&lt;network name&gt;: where the built-in allocator keeps its files. */
    Path networkDir() { return dataDir.resolve(NETWORK); }

    /** The reservation file for {@code ip} (as host-local names it: ':' written as '_'). */
    static Path reservationFile(Path dir, String ip) {
        return dir.resolve(IpAddresses.toFileName(IpAddresses.parse(ip)));
    }

    Path reservationFile(String ip) { return reservationFile(networkDir(), ip); }

    /** Every reservation file (named by an address) anywhere under {@code root}. */
    static List<Path> reservationFiles(Path root) {
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> IpAddresses.fromFileName(p.getFileName().toString()).isPresent())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Path> reservationFiles() { return reservationFiles(dataDir); }

    /** The address part of the result's ips[i] ("10.240.0.2/24" gives "10.240.0.2"). */
    @SuppressWarnings("unchecked")
    static String ip(Map<String, Object> result, int i) {
        String cidr = (String) ((List<Map<String, Object>>) result.get("ips")).get(i).get("address");
        return cidr.substring(0, cidr.indexOf('/'));
    }

    static void assertReleased(Path file) {
        assertTrue(Files.notExists(file), "reservation " + file + " should have been released");
    }

    static void assertReserved(Path file) {
        assertTrue(Files.exists(file), "reservation " + file + " should exist");
    }

    @Override
    public void close() { ns.close(); }
}
