package dev.jcni.agent.netfilter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IptablesChainTest {

    @Test
    void policyDrop() {
        IptablesChain c = IptablesChain.parse("FORWARD", "-P FORWARD DROP\n");
        assertEquals("DROP", c.policy());
        assertTrue(c.blocks());
        assertEquals(-1, c.firstBlockingRule());
        assertEquals("policy DROP", c.blockReason());
    }

    @Test
    void policyAcceptWithDockerStyleRulesDoesNotBlock() {
        IptablesChain c = IptablesChain.parse("FORWARD", """
                -P FORWARD ACCEPT
                -A FORWARD -j DOCKER-USER
                -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
                """);
        assertEquals("ACCEPT", c.policy());
        assertEquals(2, c.rules().size());
        assertEquals(Optional.of("DOCKER-USER"), c.rules().get(0).target());
        assertFalse(c.blocks());
        assertEquals("", c.blockReason());
    }

    @Test
    void dropOrRejectRuleBlocksEvenUnderPolicyAccept() {
        IptablesChain c = IptablesChain.parse("FORWARD", """
                -P FORWARD ACCEPT
                -A FORWARD -i eth0 -j ACCEPT
                -A FORWARD -j REJECT --reject-with icmp-host-prohibited
                """);
        assertTrue(c.blocks());
        assertEquals(1, c.firstBlockingRule());
        assertEquals("rule \"-A FORWARD -j REJECT --reject-with icmp-host-prohibited\"", c.blockReason());
        assertTrue(IptablesChain.parse("FORWARD", "-P FORWARD ACCEPT\n-A FORWARD -s 1.2.3.4/32 -j DROP\n").blocks());
    }

    @Test
    void jcniRulesAreRecognizedByTheirQuotedComment() {
        IptablesChain c = IptablesChain.parse("FORWARD", """
                -P FORWARD DROP
                -A FORWARD -d 10.244.0.0/16 -m comment --comment "jcni: pod traffic to 10.244.0.0/16" -j ACCEPT
                -A FORWARD -s 10.244.0.0/16 -m comment --comment "jcni: pod traffic from 10.244.0.0/16" -j ACCEPT
                -A FORWARD -m comment --comment "say \\"hi\\"" -j DROP
                """);
        assertEquals(List.of("-d", "10.244.0.0/16", "-m", "comment", "--comment", "jcni: pod traffic to 10.244.0.0/16",
                "-j", "ACCEPT"), c.rules().get(0).args());
        assertTrue(c.rules().get(0).isJcni());
        assertFalse(c.rules().get(2).isJcni());
        assertEquals(Optional.of("say \"hi\""), c.rules().get(2).comment());
        assertEquals(1, c.indexOfComment("jcni: pod traffic from 10.244.0.0/16"));
        assertEquals(-1, c.indexOfComment("jcni: pod traffic from 10.99.0.0/16"));
        assertEquals("policy DROP and rule \"-A FORWARD -m comment --comment say \"hi\" -j DROP\"", c.blockReason());
    }

    @Test
    void rejectsOutputItDoesNotUnderstand() {
        assertThrows(IllegalArgumentException.class, () -> IptablesChain.parse("FORWARD", "-P INPUT DROP\n"));
        assertThrows(IllegalArgumentException.class, () -> IptablesChain.parse("FORWARD", "-A FORWARD -m comment --comment \"open\n"));
        assertEquals("", IptablesChain.parse("FORWARD", "").policy());
    }
}
