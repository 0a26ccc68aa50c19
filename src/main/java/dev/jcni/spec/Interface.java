package dev.jcni.spec;

import dev.jcni.json.JsonFieldException;
import dev.jcni.json.JsonObject;

import java.util.Map;

/**
 * One entry of a result's {@code interfaces}. {@code sandbox} is the netns path for container-side
 * interfaces and empty for host-side ones; mtu, socketPath and pciID exist from 1.1.0 (all nullable).
 */
public record Interface(String name, String mac, Integer mtu, String sandbox, String socketPath, String pciID) {

    public Interface {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("interface name is required");
        }
    }

    /** The common case: name, MAC and sandbox only. */
    public Interface(String name, String mac, String sandbox) {
        this(name, mac, null, sandbox, null, null);
    }

    Map<String, Object> toJson(CniVersion v) {
        boolean extended = v.hasExtendedResultFields();
        return new JsonFields()
                .put("name", name)
                .put("mac", mac)
                .put("mtu", extended ? mtu : null)
                .put("sandbox", sandbox)
                .put("socketPath", extended ? socketPath : null)
                .put("pciID", extended ? pciID : null)
                .map();
    }

    static Interface fromJson(JsonObject o) {
        return new Interface(nonEmpty(o, "name"), o.optStr("mac").orElse(null), o.optInt("mtu").orElse(null),
                o.optStr("sandbox").orElse(null), o.optStr("socketPath").orElse(null), o.optStr("pciID").orElse(null));
    }

    static String nonEmpty(JsonObject o, String key) {
        String value = o.str(key);
        if (value.isEmpty()) {
            throw new JsonFieldException(o.keyPath(key), "must not be empty");
        }
        return value;
    }
}
