package dev.jcni.spec;

import dev.jcni.json.JsonObject;

import java.util.Map;

/**
 * One entry of a result's {@code routes}. {@code gw} is optional (default: the interface's gateway);
 * mtu, advmss, priority, table and scope exist from 1.1.0 and are nullable.
 */
public record Route(String dst, String gw, Integer mtu, Integer advmss, Integer priority, Integer table, Integer scope) {

    public Route {
        if (dst == null || dst.isEmpty()) {
            throw new IllegalArgumentException("route dst is required");
        }
    }

    /** The common case: destination and optional gateway. */
    public Route(String dst, String gw) {
        this(dst, gw, null, null, null, null, null);
    }

    Map<String, Object> toJson(CniVersion v) {
        boolean extended = v.hasExtendedResultFields();
        return new JsonFields()
                .put("dst", dst)
                .put("gw", gw)
                .put("mtu", extended ? mtu : null)
                .put("advmss", extended ? advmss : null)
                .put("priority", extended ? priority : null)
                .put("table", extended ? table : null)
                .put("scope", extended ? scope : null)
                .map();
    }

    static Route fromJson(JsonObject o) {
        return new Route(Interface.nonEmpty(o, "dst"), o.optStr("gw").orElse(null), o.optInt("mtu").orElse(null),
                o.optInt("advmss").orElse(null), o.optInt("priority").orElse(null),
                o.optInt("table").orElse(null), o.optInt("scope").orElse(null));
    }
}
