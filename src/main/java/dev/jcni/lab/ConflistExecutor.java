package dev.jcni.lab;

import dev.jcni.json.Json;
import dev.jcni.json.JsonObject;
import dev.jcni.netlink.NetNs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Calls the plugins of a conflist the way libcni does: each plugin gets the conflist's name and
 * cniVersion, the previous plugin's result as prevResult, and the CNI_* environment; DEL runs the
 * chain in reverse. The call happens in the node's namespace ({@code JCNI_NETNS}), as a kubelet on
 * that node would make it. Only jcni's own plugin type is run here.
 */
public final class ConflistExecutor {
    public record Outcome(int exit, String stdout, String stderr) {
        public boolean ok() { return exit == 0; }
    }

    private final Path conflist;
    private final String nodeNs;

    public ConflistExecutor(Path conflist, String nodeNs) {
        this.conflist = conflist;
        this.nodeNs = nodeNs;
    }

    public Outcome add(String containerId, String podNs, String ifname) throws IOException, InterruptedException {
        return chain("ADD", containerId, podNs, ifname, false);
    }

    public Outcome del(String containerId, String podNs, String ifname) throws IOException, InterruptedException {
        return chain("DEL", containerId, podNs, ifname, true);
    }

    private Outcome chain(String verb, String containerId, String podNs, String ifname, boolean reverse)
            throws IOException, InterruptedException {
        JsonObject list = JsonObject.parse(Files.readString(conflist));
        List<JsonObject> plugins = list.optObjectList("plugins").orElse(List.of());
        if (reverse) plugins = plugins.reversed();
        Object prev = null;
        Outcome last = new Outcome(0, "", "");
        for (JsonObject p : plugins) {
            String type = p.str("type");
            if (!type.equals("jcni")) throw new IllegalStateException("the lab only runs jcni, the conflist has " + type);
            Map<String, Object> conf = new LinkedHashMap<>(p.map());
            conf.put("cniVersion", list.str("cniVersion"));
            conf.put("name", list.str("name"));
            if (prev != null) conf.put("prevResult", prev);
            last = run(verb, containerId, podNs, ifname, Json.write(conf));
            if (!last.ok()) return last;
            if (verb.equals("ADD")) prev = Json.parse(last.stdout());
        }
        return last;
    }

    private Outcome run(String verb, String containerId, String podNs, String ifname, String stdin)
            throws IOException, InterruptedException {
        Path launcher = SelfLauncher.path();
        ProcessBuilder pb = new ProcessBuilder(launcher.toString());
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("CNI_COMMAND", verb);
        env.put("CNI_CONTAINERID", containerId);
        env.put("CNI_NETNS", NetNs.pathOf(podNs).toString());
        env.put("CNI_IFNAME", ifname);
        env.put("CNI_PATH", launcher.getParent().toString());
        env.put("JCNI_NETNS", NetNs.pathOf(nodeNs).toString());
        Path outFile = Files.createTempFile("jcni-lab-cni", ".out");
        Path errFile = Files.createTempFile("jcni-lab-cni", ".err");
        try {
            // Output to files: no pipe can fill, so the deadline below really applies.
            pb.redirectOutput(outFile.toFile()).redirectError(errFile.toFile());
            Process proc = pb.start();
            proc.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            proc.getOutputStream().close();
            if (!proc.waitFor(60, TimeUnit.SECONDS)) {
                proc.destroyForcibly().waitFor();
                return new Outcome(124, "", verb + " " + containerId + " did not finish within 60 s");
            }
            return new Outcome(proc.exitValue(), Files.readString(outFile), Files.readString(errFile));
        } finally {
            Files.deleteIfExists(outFile);
            Files.deleteIfExists(errFile);
        }
    }
}
