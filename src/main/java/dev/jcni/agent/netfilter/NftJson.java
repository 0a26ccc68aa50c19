package dev.jcni.agent.netfilter;

import dev.jcni.ipam.IpAddresses;
import dev.jcni.ipam.IpPrefix;
import dev.jcni.json.Json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * nft JSON commands ({@code nft -j -f -}) for changing other tables' chains. JSON names tables and chains
 * as plain strings, so a chain called {@code fwd} or {@code filter}, which nft's own syntax reads as a
 * keyword, is no problem.
 */
final class NftJson {
    private NftJson() {}

    /** {@code {"nftables": [commands...]}}: one transaction. */
    static String batch(List<Object> commands) {
        return Json.write(Map.of("nftables", commands));
    }

    /** insert (at the top) {@code ip[6] <field> <cidr> accept comment "<comment>"}. */
    static Map<String, Object> insertAccept(NftBaseChain chain, String field, IpPrefix cidr, String comment) {
        Map<String, Object> prefix = new LinkedHashMap<>();
        prefix.put("addr", IpAddresses.format(cidr.network()));
        prefix.put("len", cidr.prefixLength());
        Map<String, Object> match = new LinkedHashMap<>();
        match.put("op", "==");
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("protocol", cidr.isIpv6() ? "ip6" : "ip");
        payload.put("field", field);
        match.put("left", Map.of("payload", payload));
        match.put("right", Map.of("prefix", prefix));
        Map<String, Object> accept = new LinkedHashMap<>();
        accept.put("accept", null);
        Map<String, Object> rule = ruleOf(chain);
        rule.put("comment", comment);
        rule.put("expr", List.of(Map.of("match", match), accept));
        return Map.of("insert", Map.of("rule", rule));
    }

    /** delete the rule with this handle. */
    static Map<String, Object> deleteRule(NftBaseChain chain, long handle) {
        Map<String, Object> rule = ruleOf(chain);
        rule.put("handle", handle);
        return Map.of("delete", Map.of("rule", rule));
    }

    private static Map<String, Object> ruleOf(NftBaseChain chain) {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("family", chain.family());
        rule.put("table", chain.table());
        rule.put("chain", chain.name());
        return rule;
    }
}
