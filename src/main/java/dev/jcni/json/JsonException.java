package dev.jcni.json;

/**
 * Malformed JSON text, or a value that cannot be written as JSON.
 * For parse errors {@link #offset()} is the character offset of the problem (also in the message);
 * for write errors it is -1.
 */
public class JsonException extends RuntimeException {
    private final int offset;

    public JsonException(String message) {
        super(message);
        this.offset = -1;
    }

    public JsonException(String reason, int offset) {
        super(reason + " at offset " + offset);
        this.offset = offset;
    }

    public int offset() {
        return offset;
    }
}
