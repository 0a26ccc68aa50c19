package dev.jcni.lab;

import dev.jcni.agent.Backend;
import dev.jcni.json.Json;
import dev.jcni.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a running lab is made of, saved in {@code <labDir>/lab.json} after every stage, so that
 * {@code status}, {@code trace} and {@code down} work from another process, and {@code down} knows
 * what a crashed {@code up} had made so far.
 */
public final class LabState {
    public record NodeRecord(String name, String netns, String ip, String podCidr, long agentPid) {}

    public record PodRecord(String name, String node, String netns, String containerId, String ip, String mac) {}

    public final LabSpec spec;
    public final List<NodeRecord> nodes = new ArrayList<>();
    public final List<PodRecord> pods = new ArrayList<>();
    public long etcdPid;

    public LabState(LabSpec spec) { this.spec = spec; }

    public static Path file(Path labDir) { return labDir.resolve("lab.json"); }

    public Optional<PodRecord> pod(String name) { return pods.stream().filter(p -> p.name().equals(name)).findFirst(); }

    public Optional<NodeRecord> node(String name) { return nodes.stream().filter(n -> n.name().equals(name)).findFirst(); }

    public void save() throws IOException {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("prefix", spec.prefix());
        s.put("nodes", spec.nodes());
        s.put("podsPerNode", spec.podsPerNode());
        s.put("backend", spec.backend().label());
        s.put("source", spec.source());
        s.put("subnets", spec.subnets());
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("spec", s);
        root.put("etcdPid", etcdPid);
        root.put("nodes", nodes.stream().map(n -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", n.name()); m.put("netns", n.netns()); m.put("ip", n.ip()); m.put("podCidr", n.podCidr());
            m.put("agentPid", n.agentPid());
            return m;
        }).toList());
        root.put("pods", pods.stream().map(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", p.name()); m.put("node", p.node()); m.put("netns", p.netns()); m.put("containerId", p.containerId());
            m.put("ip", p.ip()); m.put("mac", p.mac());
            return m;
        }).toList());
        Files.createDirectories(spec.labDir());
        Path tmp = spec.labDir().resolve("lab.json.tmp");
        Files.writeString(tmp, Json.pretty(root) + "\n");
        Files.move(tmp, file(spec.labDir()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public static Optional<LabState> load(Path labDir) throws IOException {
        Path f = file(labDir);
        if (!Files.exists(f)) return Optional.empty();
        JsonObject root = JsonObject.parse(Files.readString(f));
        JsonObject s = root.obj("spec");
        LabState st = new LabState(new LabSpec(s.str("prefix"), s.integer("nodes"), s.integer("podsPerNode"),
                Backend.parse(s.str("backend")), s.str("source"), s.integer("subnets"), labDir));
        st.etcdPid = root.optLong("etcdPid").orElse(0L);
        for (JsonObject n : root.optObjectList("nodes").orElse(List.of())) {
            st.nodes.add(new NodeRecord(n.str("name"), n.str("netns"), n.str("ip"), n.optStr("podCidr").orElse(null),
                    n.optLong("agentPid").orElse(0L)));
        }
        for (JsonObject p : root.optObjectList("pods").orElse(List.of())) {
            st.pods.add(new PodRecord(p.str("name"), p.str("node"), p.str("netns"), p.str("containerId"),
                    p.optStr("ip").orElse(null), p.optStr("mac").orElse(null)));
        }
        return Optional.of(st);
    }
}
