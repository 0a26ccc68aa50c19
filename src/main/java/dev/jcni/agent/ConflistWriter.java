package dev.jcni.agent;

import dev.jcni.ipam.IpPrefix;
import dev.jcni.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.nio.channels.FileChannel;

/**
 * Writes the node's CNI config, {@code 10-jcni.conflist}, by atomic rename: the kubelet either sees
 * the old file or the new one, never half of one. It is written only once the pod CIDR is known,
 * since a config without a range would make every pod fail.
 */
public final class ConflistWriter {
    public static final String FILE = "10-jcni.conflist";

    private final Path confDir;

    public ConflistWriter(Path confDir) { this.confDir = confDir; }

    public Path path() { return confDir.resolve(FILE); }

    /** The conflist content for this node. */
    public static Map<String, Object> content(String bridge, List<IpPrefix> podCidrs, Path dataDir, int mtu) {
        return content(bridge, podCidrs, dataDir, mtu, null);
    }

    /** With {@code agentSocket}, the plugin hands its requests to the running agent (see PluginSocketServer). */
    public static Map<String, Object> content(String bridge, List<IpPrefix> podCidrs, Path dataDir, int mtu, Path agentSocket) {
        Map<String, Object> jcni = new LinkedHashMap<>();
        jcni.put("type", "jcni");
        jcni.put("bridge", bridge);
        jcni.put("podcidrs", podCidrs.stream().map(IpPrefix::toString).toList());
        jcni.put("dataDir", dataDir.toString());
        jcni.put("mtu", mtu);
        jcni.put("hairpinMode", true);
        if (agentSocket != null) jcni.put("agentSocket", agentSocket.toString());
        Map<String, Object> conf = new LinkedHashMap<>();
        // Runtimes whose libcni predates 1.1.0 (Debian's podman, for one) read cniVersion; newer ones
        // pick the highest of cniVersions they speak, which unlocks STATUS and GC.
        conf.put("cniVersion", "1.0.0");
        conf.put("cniVersions", List.of("1.0.0", "1.1.0"));
        conf.put("name", "jcni");
        conf.put("plugins", List.of(jcni));
        return conf;
    }

    /** Writes when the content differs from what is there; returns whether it wrote. */
    public boolean write(Map<String, Object> content) throws IOException {
        String text = Json.pretty(content) + "\n";
        Path target = path();
        if (Files.exists(target) && Files.readString(target).equals(text)) return false;
        Files.createDirectories(confDir);
        Path tmp = confDir.resolve("." + FILE + ".tmp-" + ProcessHandle.current().pid());
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return true;
    }
}
