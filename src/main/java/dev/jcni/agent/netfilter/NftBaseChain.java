package dev.jcni.agent.netfilter;

import dev.jcni.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A base chain (one attached to a netfilter hook) from {@code nft -j list ruleset}, with its rules in
 * order. Pure parser, so the guard's decisions are tested without root.
 */
public record NftBaseChain(String family, String table, String name, String hook, String policy, List<Rule> rules)
        implements FilterChain {

    /** A rule: its handle (to delete it), its comment if any, and whether it drops or rejects. */
    public record Rule(long handle, Optional<String> comment, boolean blocks) implements FilterChain.Rule {}

    public NftBaseChain {
        rules = List.copyOf(rules);
    }

    /** Every base chain in the ruleset, in listing order. Regular (jump target) chains are left out. */
    public static List<NftBaseChain> parseRuleset(String json) {
        JsonObject root = JsonObject.parse(json);
        List<JsonObject> items = root.optObjectList("nftables").orElseThrow(
                () -> new IllegalArgumentException("not nft JSON: no \"nftables\" array"));
        record Key(String family, String table, String chain) {}
        Map<Key, JsonObject> chains = new LinkedHashMap<>();
        Map<Key, List<Rule>> rules = new LinkedHashMap<>();
        for (JsonObject item : items) {
            item.optObject("chain").filter(c -> c.has("hook")).ifPresent(c ->
                    chains.put(new Key(c.str("family"), c.str("table"), c.str("name")), c));
            item.optObject("rule").ifPresent(r ->
                    rules.computeIfAbsent(new Key(r.str("family"), r.str("table"), r.str("chain")), k -> new ArrayList<>())
                            .add(new Rule(r.optLong("handle").orElse(-1L), r.optStr("comment"), blocks(r))));
        }
        List<NftBaseChain> out = new ArrayList<>();
        chains.forEach((k, c) -> out.add(new NftBaseChain(k.family(), k.table(), k.chain(), c.str("hook"),
                c.optStr("policy").orElse("accept"), rules.getOrDefault(k, List.of()))));
        return out;
    }

    /** "nft inet firewall forward", as the log names it. */
    public String describe() {
        return "nft chain " + family + " " + table + " " + name;
    }

    public String blockReason() {
        List<String> why = new ArrayList<>();
        if (policy.equals("drop")) why.add("policy drop");
        int i = firstBlockingRule();
        if (i >= 0) why.add("a drop/reject rule (handle " + rules.get(i).handle() + ")");
        return String.join(" and ", why);
    }

    /**
     * A verdict statement at the top level of the rule: {@code drop}, {@code reject}, or an iptables-nft
     * {@code xt} target DROP/REJECT.
     */
    private static boolean blocks(JsonObject rule) {
        for (JsonObject e : rule.optObjectList("expr").orElse(List.of())) {
            if (e.map().containsKey("drop") || e.map().containsKey("reject")) return true;
            Optional<JsonObject> xt = e.optObject("xt");
            if (xt.isPresent() && xt.get().optStr("type").filter("target"::equals).isPresent()
                    && xt.get().optStr("name").filter(n -> n.equals("DROP") || n.equals("REJECT")).isPresent()) {
                return true;
            }
        }
        return false;
    }
}
