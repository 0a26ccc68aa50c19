package dev.jcni.spec;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.jcni.spec.Command.ADD;
import static dev.jcni.spec.Command.CHECK;
import static dev.jcni.spec.Command.DEL;
import static dev.jcni.spec.Command.GC;
import static dev.jcni.spec.Command.STATUS;

/**
 * The one table of CNI_* variables (cf. skel's {@code vars}): which verbs require each, which merely
 * accept it, and how a value is validated. A variable a verb neither requires nor accepts is ignored.
 */
public enum CniEnvVar {
    COMMAND("CNI_COMMAND", EnumSet.allOf(Command.class), EnumSet.noneOf(Command.class),
            v -> Command.parse(v).isPresent() ? Optional.empty() : Optional.of("unknown CNI_COMMAND \"" + v + "\"")),
    CONTAINERID("CNI_CONTAINERID", EnumSet.of(ADD, DEL, CHECK), EnumSet.noneOf(Command.class),
            CniEnvVar::containerIdProblem),
    NETNS("CNI_NETNS", EnumSet.of(ADD, CHECK), EnumSet.of(DEL),
            v -> Optional.empty()),
    IFNAME("CNI_IFNAME", EnumSet.of(ADD, DEL, CHECK), EnumSet.noneOf(Command.class),
            CniEnvVar::ifnameProblem),
    ARGS("CNI_ARGS", EnumSet.noneOf(Command.class), EnumSet.of(ADD, DEL, CHECK, STATUS, GC),
            CniArgs::problem),
    PATH("CNI_PATH", EnumSet.of(ADD, DEL, CHECK, STATUS, GC), EnumSet.noneOf(Command.class),
            v -> CniPath.split(v).isEmpty() ? Optional.of("lists no directory") : Optional.empty());

    /** Linux IFNAMSIZ is 16 including the terminating NUL. */
    public static final int MAX_IFNAME_LENGTH = 15;
    private static final Pattern CONTAINER_ID = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$");

    /** Returns why a value is invalid, or empty when it is fine. */
    @FunctionalInterface
    interface Validator {
        Optional<String> problem(String value);
    }

    private final String varName;
    private final Set<Command> requiredFor;
    private final Set<Command> acceptedFor;
    private final Validator validator;

    CniEnvVar(String varName, Set<Command> requiredFor, Set<Command> optionalFor, Validator validator) {
        this.varName = varName;
        this.requiredFor = Set.copyOf(requiredFor);
        EnumSet<Command> accepted = EnumSet.noneOf(Command.class);
        accepted.addAll(requiredFor);
        accepted.addAll(optionalFor);
        this.acceptedFor = Set.copyOf(accepted);
        this.validator = validator;
    }

    public String varName() {
        return varName;
    }

    public boolean requiredFor(Command c) {
        return requiredFor.contains(c);
    }

    /** Required or optional for this verb: its value is validated and passed on. */
    public boolean acceptedFor(Command c) {
        return acceptedFor.contains(c);
    }

    /** The validation problem with {@code value}, if any. */
    public Optional<String> problem(String value) {
        return validator.problem(value);
    }

    static Optional<String> containerIdProblem(String id) {
        return CONTAINER_ID.matcher(id).matches()
                ? Optional.empty()
                : Optional.of("invalid characters in container ID \"" + id + "\" (must match " + CONTAINER_ID + ")");
    }

    static Optional<String> ifnameProblem(String name) {
        // the kernel counts bytes, not characters
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_IFNAME_LENGTH) {
            return Optional.of("interface name \"" + name + "\" longer than " + MAX_IFNAME_LENGTH + " bytes");
        }
        if (name.equals(".") || name.equals("..")) {
            return Optional.of("interface name must not be \".\" or \"..\"");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                return Optional.of("interface name \"" + name + "\" contains '/', ':' or whitespace");
            }
        }
        return Optional.empty();
    }
}
