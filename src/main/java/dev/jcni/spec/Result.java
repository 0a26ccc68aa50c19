package dev.jcni.spec;

import dev.jcni.json.JsonFieldException;
import dev.jcni.json.JsonObject;
import dev.jcni.json.JsonWritable;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A version-neutral ADD result. The model holds the union of all supported versions' fields;
 * {@link #toJson(CniVersion)} renders the shape a given version expects, {@link #fromJson} reads any of them.
 * {@code cniVersion} is the version it was read in (nullable); output always uses the requested version.
 */
public record Result(CniVersion cniVersion, List<Interface> interfaces, List<IpConfig> ips, List<Route> routes, Dns dns)
        implements JsonWritable {

    public Result {
        interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
        ips = ips == null ? List.of() : List.copyOf(ips);
        routes = routes == null ? List.of() : List.copyOf(routes);
        dns = dns == null ? Dns.EMPTY : dns;
    }

    /** Renders this result as version {@code v} expects; versions before 0.3.0 are refused (code 1). */
    public Map<String, Object> toJson(CniVersion v) {
        if (!v.atLeast(CniVersion.V0_3_0)) {
            throw CniException.incompatibleVersion("cannot render a result as cniVersion " + v,
                    "supported: " + CniVersion.supportedStrings());
        }
        return new JsonFields()
                .put("cniVersion", v.toString())
                .put("interfaces", interfaces.stream().map(i -> i.toJson(v)).toList())
                .put("ips", ips.stream().map(ip -> ip.toJson(v)).toList())
                .put("routes", routes.stream().map(r -> r.toJson(v)).toList())
                .put("dns", dns.toJson())
                .map();
    }

    public Map<String, Object> toJson(String version) {
        return toJson(CniVersion.parse(version));
    }

    /** In the version it was read in, else the latest. */
    @Override
    public Object toJson() {
        return toJson(cniVersion == null ? CniVersion.LATEST : cniVersion);
    }

    /** Parses a result of any supported version (prevResult, or an IPAM delegate's output). */
    public static Result fromJson(Map<String, ?> json) {
        return fromJson(JsonObject.of(json));
    }

    /** As {@link #fromJson(Map)}; problems throw {@link JsonFieldException} with the key path under {@code o}. */
    public static Result fromJson(JsonObject o) {
        CniVersion version = o.optStr("cniVersion").map(text -> CniVersion.tryParse(text)
                .filter(v -> v.atLeast(CniVersion.V0_3_0))
                .orElseThrow(() -> new JsonFieldException(o.keyPath("cniVersion"),
                        "unsupported result version \"" + text + "\""))).orElse(null);
        return new Result(version,
                list(o, "interfaces", Interface::fromJson),
                list(o, "ips", IpConfig::fromJson),
                list(o, "routes", Route::fromJson),
                o.optObject("dns").map(Dns::fromJson).orElse(null));
    }

    private static <T> List<T> list(JsonObject o, String key, Function<JsonObject, T> parse) {
        return o.optObjectList(key).map(l -> l.stream().map(parse).toList()).orElse(List.of());
    }
}
