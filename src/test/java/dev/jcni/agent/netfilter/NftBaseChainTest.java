package dev.jcni.agent.netfilter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NftBaseChainTest {

    /** Trimmed from a real `nft -j list ruleset` (nft 1.0.6) with iptables-nft and a hand-written firewall. */
    static final String RULESET = """
            {"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}},
             {"table": {"family": "ip", "name": "filter", "handle": 3}},
             {"chain": {"family": "ip", "table": "filter", "name": "FORWARD", "handle": 1, "type": "filter", "hook": "forward", "prio": 0, "policy": "accept"}},
             {"rule": {"family": "ip", "table": "filter", "chain": "FORWARD", "handle": 2, "expr": [{"counter": {"packets": 0, "bytes": 0}}, {"xt": {"type": "target", "name": "REJECT"}}]}},
             {"table": {"family": "inet", "name": "hostfw", "handle": 4}},
             {"chain": {"family": "inet", "table": "hostfw", "name": "fwd", "handle": 1, "type": "filter", "hook": "forward", "prio": 0, "policy": "drop"}},
             {"chain": {"family": "inet", "table": "hostfw", "name": "helper", "handle": 2}},
             {"rule": {"family": "inet", "table": "hostfw", "chain": "fwd", "handle": 5, "comment": "jcni: pod traffic from 10.244.0.0/16", "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": {"prefix": {"addr": "10.244.0.0", "len": 16}}}}, {"accept": null}]}},
             {"rule": {"family": "inet", "table": "hostfw", "chain": "fwd", "handle": 6, "expr": [{"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": "invalid"}}, {"drop": null}]}},
             {"chain": {"family": "inet", "table": "hostfw", "name": "in", "handle": 3, "type": "filter", "hook": "input", "prio": 0, "policy": "accept"}}
            ]}
            """;

    @Test
    void parsesBaseChainsWithTheirRulesInOrder() {
        List<NftBaseChain> chains = NftBaseChain.parseRuleset(RULESET);
        assertEquals(3, chains.size(), "the regular chain 'helper' is no base chain");

        NftBaseChain filter = chains.get(0);
        assertEquals(List.of("ip", "filter", "FORWARD", "forward", "accept"),
                List.of(filter.family(), filter.table(), filter.name(), filter.hook(), filter.policy()));
        assertTrue(filter.blocks(), "iptables-nft's REJECT target is an xt expression");
        assertEquals(0, filter.firstBlockingRule());

        NftBaseChain fwd = chains.get(1);
        assertEquals("drop", fwd.policy());
        assertEquals(2, fwd.rules().size());
        assertEquals(new NftBaseChain.Rule(5, Optional.of("jcni: pod traffic from 10.244.0.0/16"), false), fwd.rules().get(0));
        assertEquals(1, fwd.firstBlockingRule());
        assertEquals(0, fwd.indexOfComment("jcni: pod traffic from 10.244.0.0/16"));
        assertEquals("policy drop and a drop/reject rule (handle 6)", fwd.blockReason());
        assertEquals("nft chain inet hostfw fwd", fwd.describe());

        NftBaseChain in = chains.get(2);
        assertEquals("input", in.hook());
        assertFalse(in.blocks());
    }
}
