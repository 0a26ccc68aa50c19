package dev.jcni.agent.netfilter;

import java.util.List;
import java.util.Optional;

/**
 * A forward chain of some firewall (an iptables chain, an nft base chain), as far as the guard cares:
 * its policy and its rules' verdicts and comments.
 */
interface FilterChain {
    /** One rule: does it drop or reject, and what comment does it carry. */
    interface Rule {
        boolean blocks();

        Optional<String> comment();
    }

    String policy();

    List<? extends Rule> rules();

    /** True when traffic can end here: policy drop, or any rule that drops or rejects. */
    default boolean blocks() {
        return policy().equalsIgnoreCase("drop") || firstBlockingRule() >= 0;
    }

    /** Index of the first dropping or rejecting rule, or -1. */
    default int firstBlockingRule() {
        List<? extends Rule> rules = rules();
        for (int i = 0; i < rules.size(); i++) if (rules.get(i).blocks()) return i;
        return -1;
    }

    /** Index of the first rule with exactly this comment, or -1. */
    default int indexOfComment(String comment) {
        List<? extends Rule> rules = rules();
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).comment().filter(comment::equals).isPresent()) return i;
        }
        return -1;
    }
}
