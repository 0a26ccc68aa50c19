package dev.jcni.agent.netfilter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One iptables chain as {@code iptables -S <chain>} prints it: the policy line and the rules in order.
 * Pure parser, so the guard's decisions are tested without root.
 *
 * <pre>
 * -P FORWARD DROP
 * -A FORWARD -s 10.244.0.0/16 -m comment --comment "jcni: pod traffic from 10.244.0.0/16" -j ACCEPT
 * -A FORWARD -j REJECT --reject-with icmp-port-unreachable
 * </pre>
 */
public record IptablesChain(String name, String policy, List<Rule> rules) implements FilterChain {

    /** One {@code -A} line; {@code args} are the words after {@code -A <chain>}, quotes removed. */
    public record Rule(List<String> args) implements FilterChain.Rule {
        public Rule {
            args = List.copyOf(args);
        }

        /** The {@code -j} (or {@code -g}) target, empty for a rule without one. */
        public Optional<String> target() {
            return valueOf("-j").or(() -> valueOf("-g"));
        }

        public Optional<String> comment() {
            return valueOf("--comment");
        }

        /** A rule that ends a packet's path through the chain: DROP or REJECT. */
        public boolean blocks() {
            return target().map(t -> t.equals("DROP") || t.equals("REJECT")).orElse(false);
        }

        /** Whether jcni added this rule (its comment carries the marker). */
        public boolean isJcni() {
            return comment().map(c -> c.startsWith(HostForwardGuard.MARKER)).orElse(false);
        }

        private Optional<String> valueOf(String option) {
            int i = args.indexOf(option);
            return i >= 0 && i + 1 < args.size() ? Optional.of(args.get(i + 1)) : Optional.empty();
        }

        @Override
        public String toString() {
            return String.join(" ", args);
        }
    }

    public IptablesChain {
        rules = List.copyOf(rules);
    }

    /** Parses the output of {@code iptables -S <chain>}; a line it does not understand is an error. */
    public static IptablesChain parse(String chain, String output) {
        String policy = "";
        List<Rule> rules = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            List<String> w = words(line);
            if (w.size() == 3 && w.get(0).equals("-P") && w.get(1).equals(chain)) {
                policy = w.get(2);
            } else if (w.size() >= 2 && w.get(0).equals("-A") && w.get(1).equals(chain)) {
                rules.add(new Rule(w.subList(2, w.size())));
            } else if (w.size() == 2 && w.get(0).equals("-N") && w.get(1).equals(chain)) {
                continue; // a user chain: no policy line of its own
            } else {
                throw new IllegalArgumentException("unexpected line in iptables -S " + chain + " output: " + line);
            }
        }
        return new IptablesChain(chain, policy, rules);
    }

    /** Why this chain blocks, for the log: "policy DROP" and/or the first blocking rule. */
    public String blockReason() {
        List<String> why = new ArrayList<>();
        if (policy.equals("DROP")) why.add("policy DROP");
        int i = firstBlockingRule();
        if (i >= 0) why.add("rule \"-A " + name + " " + rules.get(i) + "\"");
        return String.join(" and ", why);
    }

    /** Splits a line of iptables-save syntax: blanks separate words, "..." quotes, backslash escapes in quotes. */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\\' && i + 1 < line.length()) {
                    cur.append(line.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) out.add(cur.toString());
                cur.setLength(0);
                inWord = false;
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (quoted) throw new IllegalArgumentException("unterminated quote in: " + line);
        if (inWord) out.add(cur.toString());
        return out;
    }
}
