package dev.jcni.lab;

import dev.jcni.netlink.NetNs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lab's long-running processes: one agent per node and, with the etcd source, an etcd in the
 * router namespace. Each is started through {@code jcni --netns NS …}, never through ip/nsenter,
 * and its PID is kept so that {@code lab down} can stop it even after a crash of {@code lab up}.
 */
public final class LabProcesses {
    public static final int ETCD_PORT = 2379;

    private final LabLayout layout;
    private final Path labDir;

    public LabProcesses(LabLayout layout) {
        this.layout = layout;
        this.labDir = layout.spec().labDir();
    }

    public Path nodeDir(LabLayout.Node n) { return labDir.resolve(n.name()); }

    public Path confDir(LabLayout.Node n) { return nodeDir(n).resolve("net.d"); }

    public Path stateDir(LabLayout.Node n) { return stateDir(n.name()); }

    public Path stateDir(String node) { return labDir.resolve(node).resolve("state"); }

    public Path nodesFile() { return labDir.resolve("nodes.json"); }

    public String etcdEndpoint() { return "http://" + LabLayout.routerOn(1).getHostAddress() + ":" + ETCD_PORT; }

    public long startEtcd() throws IOException {
        Path data = labDir.resolve("etcd");
        Files.createDirectories(data);
        String url = etcdEndpoint();
        List<String> cmd = List.of(SelfLauncher.path().toString(), "--netns", NetNs.pathOf(layout.routerNs()).toString(),
                "exec", "--", "etcd", "--name", layout.spec().prefix() + "-etcd", "--data-dir", data.toString(),
                "--listen-client-urls", "http://0.0.0.0:" + ETCD_PORT, "--advertise-client-urls", url,
                "--listen-peer-urls", "http://127.0.0.1:2380", "--initial-advertise-peer-urls", "http://127.0.0.1:2380",
                "--initial-cluster", layout.spec().prefix() + "-etcd=http://127.0.0.1:2380");
        return spawn(cmd, labDir.resolve("etcd.log"));
    }

    public long startAgent(LabLayout.Node n) throws IOException {
        Files.createDirectories(nodeDir(n));
        List<String> cmd = new ArrayList<>(List.of(SelfLauncher.path().toString(), "--netns", NetNs.pathOf(n.netns()).toString(),
                "agent", "--node-name", n.name(), "--node-ip", n.address().ip().getHostAddress(),
                "--cluster-cidr", LabLayout.CLUSTER_CIDR.toString(), "--backend", layout.spec().backend().label(),
                "--cni-conf-dir", confDir(n).toString(), "--state-dir", stateDir(n).toString(),
                "--metrics-addr", "127.0.0.1:9765", "--resync", "10s", "--bridge", "cni0"));
        cmd.add("--source");
        cmd.add(layout.spec().source().equals("etcd") ? "etcd:" + etcdEndpoint() : "file:" + nodesFile());
        return spawn(cmd, nodeDir(n).resolve("agent.log"));
    }

    private static long spawn(List<String> cmd, Path log) throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return pb.start().pid();
    }

    /**
     * Stops a process and waits for it, but only while its command line still names {@code mustContain}
     * (the lab's directory): a PID reused by something else after a reboot is left alone.
     */
    public static boolean stop(long pid, String mustContain) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive() || !cmdline(pid).contains(mustContain)) return false;
        h.get().destroy();
        try {
            h.get().onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            h.get().destroyForcibly();
        }
        return true;
    }

    /**
     * This lab's processes not recorded in lab.json (a crashed up): every agent and etcd the lab
     * starts carries a path inside the lab directory on its command line, which nothing else does.
     */
    public List<ProcessHandle> strays() {
        String marker = " " + labDir + "/";
        return ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> cmdline(p.pid()).contains(marker))
                .toList();
    }

    /** /proc/PID/cmdline with NULs as spaces (ProcessHandle.Info may be empty for other users' processes). */
    static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"))).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }
}
