package dev.jcni.plugin;

import dev.jcni.ipam.IpPrefix;
import dev.jcni.json.JsonFieldException;
import dev.jcni.json.JsonObject;
import dev.jcni.spec.CniException;
import dev.jcni.spec.Dns;
import dev.jcni.spec.NetConf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * jcni's own keys of a network config. Every invalid value is CNI code 7 naming the key.
 *
 * @param podCidrs the node's pod ranges (one IPv4 and/or one IPv6); empty when {@code ipam} is delegated
 * @param mtu      null means "the node's default-route interface, else 1500"
 * @param ipam     the delegated IPAM section, or null for the built-in allocator
 */
public record PluginConfig(String network, String bridge, List<IpPrefix> podCidrs, Path dataDir, Integer mtu,
                           boolean hairpinMode, Path logFile, Map<String, Object> ipam, Dns dns) {

    public static final String DEFAULT_BRIDGE = "cni0";
    public static final Path DEFAULT_DATA_DIR = Path.of("/var/lib/cni/jcni");

    public static PluginConfig from(NetConf conf) {
        JsonObject o = conf.json();
        try {
            String bridge = o.optStr("bridge").orElse(DEFAULT_BRIDGE);
            if (!InterfaceNames.valid(bridge)) {
                throw CniException.invalidConfig("bridge", "\"" + bridge + "\" is not a valid interface name");
            }
            Map<String, Object> ipam = o.optObject("ipam").map(JsonObject::map).orElse(null);
            if (ipam != null && !(ipam.get("type") instanceof String t && !t.isEmpty())) {
                throw CniException.invalidConfig("ipam.type", "must name an IPAM plugin");
            }
            List<IpPrefix> cidrs = podCidrs(o);
            if (cidrs.isEmpty() && ipam == null) {
                throw CniException.invalidConfig("podcidr", "required (or podcidrs, or ipam)");
            }
            Path dataDir = Path.of(o.optStr("dataDir").orElse(DEFAULT_DATA_DIR.toString()));
            if (!dataDir.isAbsolute()) throw CniException.invalidConfig("dataDir", "must be an absolute path");
            Integer mtu = o.optInt("mtu").orElse(null);
            if (mtu != null && (mtu < 576 || mtu > 65535)) {
                throw CniException.invalidConfig("mtu", mtu + " is outside 576..65535");
            }
            Path logFile = o.optStr("logFile").map(Path::of).orElse(null);
            Dns dns = o.optObject("dns").map(PluginConfig::dns).orElse(Dns.EMPTY);
            return new PluginConfig(conf.name(), bridge, cidrs, dataDir, mtu, o.optBool("hairpinMode").orElse(true),
                    logFile, ipam, dns);
        } catch (JsonFieldException e) {
            throw CniException.invalidConfig(e);
        }
    }

    private static List<IpPrefix> podCidrs(JsonObject o) {
        List<String> texts = new ArrayList<>();
        String key = "podcidr";
        if (o.has("podcidrs")) {
            key = "podcidrs";
            texts.addAll(o.optStrList("podcidrs").orElse(List.of()));
            if (texts.isEmpty()) throw CniException.invalidConfig("podcidrs", "must list at least one range");
        } else {
            o.optStr("podcidr").ifPresent(texts::add);
        }
        List<IpPrefix> out = new ArrayList<>();
        for (String t : texts) {
            IpPrefix p;
            try {
                p = IpPrefix.parse(t);
            } catch (IllegalArgumentException e) {
                throw CniException.invalidConfig(key, e.getMessage());
            }
            int maxLen = p.isIpv6() ? 126 : 30;
            if (p.prefixLength() > maxLen) throw CniException.invalidConfig(key, t + " is too small for a gateway and pods");
            if (out.stream().anyMatch(q -> q.isIpv6() == p.isIpv6())) {
                throw CniException.invalidConfig(key, "at most one IPv4 and one IPv6 range");
            }
            out.add(p);
        }
        return List.copyOf(out);
    }

    private static Dns dns(JsonObject d) {
        return new Dns(d.optStrList("nameservers").orElse(List.of()), d.optStr("domain").orElse(null),
                d.optStrList("search").orElse(List.of()), d.optStrList("options").orElse(List.of()));
    }

    /** The IPAM state directory for this network: dataDir/<network name>. */
    public Path networkDir() { return dataDir.resolve(network); }
}
