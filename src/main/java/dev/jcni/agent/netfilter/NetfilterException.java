package dev.jcni.agent.netfilter;

import java.util.List;

/**
 * A netfilter command failed or could not be run. It carries the command line, the exit status and the
 * tool's own stderr (nft points at the offending token there), which is what an operator needs.
 */
public final class NetfilterException extends RuntimeException {
    /** Exit status used when the command never ran (binary missing, timeout, I/O error). */
    public static final int DID_NOT_RUN = -1;

    private final List<String> command;
    private final int exitCode;
    private final String stderr;

    public NetfilterException(String message, List<String> command, int exitCode, String stderr, Throwable cause) {
        super(message, cause);
        this.command = List.copyOf(command);
        this.exitCode = exitCode;
        this.stderr = stderr == null ? "" : stderr;
    }

    static NetfilterException failed(String what, CommandResult r) {
        String err = r.stderr().strip();
        return new NetfilterException(what + ": " + String.join(" ", r.command()) + " exited " + r.exit()
                + (err.isEmpty() ? "" : ": " + err), r.command(), r.exit(), r.stderr(), null);
    }

    static NetfilterException didNotRun(String what, List<String> command, Throwable cause) {
        return new NetfilterException(what + ": cannot run " + String.join(" ", command) + ": " + cause.getMessage(),
                command, DID_NOT_RUN, "", cause);
    }

    static NetfilterException missingBinary(String binary, String why) {
        return new NetfilterException(binary + " not found (searched PATH and the sbin directories); " + why,
                List.of(binary), DID_NOT_RUN, "", null);
    }

    public List<String> command() { return command; }

    /** The command's exit status, or {@link #DID_NOT_RUN}. */
    public int exitCode() { return exitCode; }

    /** The command's stderr as it printed it (possibly empty). */
    public String stderr() { return stderr; }
}
