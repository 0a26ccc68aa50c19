package dev.jcni.agent.source.etcd;

import dev.jcni.ipam.IpAddresses;
import dev.jcni.ipam.IpPrefix;
import dev.jcni.json.Json;
import dev.jcni.json.JsonException;
import dev.jcni.json.JsonFieldException;
import dev.jcni.json.JsonObject;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The key layout under one prefix (see {@link EtcdSource} for what each key means):
 * <pre>
 *   PREFIX/subnets/10.244.1.0-24  {"node":"n1","ip":"192.168.1.11"}   (on the node's lease)
 *   PREFIX/nodes/n1               10.244.1.0/24                       (no lease: a hint)
 * </pre>
 * Pure text in and out, so the layout is tested without etcd.
 */
final class SubnetKeys {

    /** Who holds a block: the node's name and underlay address, as stored in the value. */
    record Owner(String node, InetAddress ip) {
    }

    private final String prefix;

    SubnetKeys(String prefix) {
        this.prefix = prefix;
    }

    /** "/jcni/subnets/": the range the source lists and watches. */
    String subnetsPrefix() {
        return prefix + "/subnets/";
    }

    /** "/jcni/subnets/10.244.1.0-24". */
    String subnetKey(IpPrefix cidr) {
        return subnetsPrefix() + IpAddresses.format(cidr.network()) + "-" + cidr.prefixLength();
    }

    /** The block a subnet key names; empty for a key that is not one (foreign or malformed). */
    Optional<IpPrefix> cidrOf(String key) {
        if (!key.startsWith(subnetsPrefix())) {
            return Optional.empty();
        }
        String name = key.substring(subnetsPrefix().length());
        int dash = name.lastIndexOf('-');
        if (dash < 0) {
            return Optional.empty();
        }
        String text = name.substring(0, dash) + "/" + name.substring(dash + 1);
        try {
            IpPrefix.Parsed parsed = IpPrefix.parseDetailed(text);
            // Only the canonical spelling counts, so one block has exactly one key.
            return parsed.normalized() || parsed.prefix().isIpv6() || !subnetKey(parsed.prefix()).equals(key)
                    ? Optional.empty() : Optional.of(parsed.prefix());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** "/jcni/nodes/n1": the node's last block, kept without lease. */
    String nodeKey(String node) {
        return prefix + "/nodes/" + node;
    }

    /** {"node":"n1","ip":"192.168.1.11"}. */
    static String ownerValue(Owner owner) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node", owner.node());
        m.put("ip", IpAddresses.format(owner.ip()));
        return Json.write(m);
    }

    /** Parses a subnet value; throws {@link IllegalArgumentException} saying what is wrong. */
    static Owner parseOwner(String json) {
        try {
            JsonObject o = JsonObject.parse(json);
            String node = o.str("node");
            if (node.isEmpty()) {
                throw new IllegalArgumentException("empty \"node\"");
            }
            return new Owner(node, IpAddresses.parse(o.str("ip")));
        } catch (JsonException | JsonFieldException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
