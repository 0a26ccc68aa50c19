package dev.jcni.spec;

import dev.jcni.json.JsonFieldException;
import dev.jcni.json.JsonObject;

import java.util.Map;

/**
 * One entry of a result's {@code ips}: {@code address} in CIDR form ("10.240.0.5/24"), optional gateway,
 * and the index into {@code interfaces} (null for IPAM results, which have no interfaces).
 */
public record IpConfig(String address, String gateway, Integer interfaceIndex) {

    public IpConfig {
        if (address == null || address.indexOf('/') < 0) {
            throw new IllegalArgumentException("address must be in CIDR form, got " + address);
        }
    }

    /** "4" or "6", as the pre-1.0.0 {@code version} field spells it. */
    public String family() {
        return address.indexOf(':') >= 0 ? "6" : "4";
    }

    Map<String, Object> toJson(CniVersion v) {
        return new JsonFields()
                .put("version", v.hasIpVersionField() ? family() : null)
                .put("interface", interfaceIndex)
                .put("address", address)
                .put("gateway", gateway)
                .map();
    }

    static IpConfig fromJson(JsonObject o) {
        String address = o.str("address");
        if (address.indexOf('/') < 0) {
            throw new JsonFieldException(o.keyPath("address"), "expected CIDR notation (a.b.c.d/len), got \"" + address + "\"");
        }
        o.optStr("version"); // type-checked only: on output it is derived from the address
        return new IpConfig(address, o.optStr("gateway").orElse(null), o.optInt("interface").orElse(null));
    }
}
