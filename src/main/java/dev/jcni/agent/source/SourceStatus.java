package dev.jcni.agent.source;

/** A source's connection state; {@code detail} says why when it is not connected. */
public record SourceStatus(boolean connected, String detail) {
    public static SourceStatus up() { return new SourceStatus(true, "connected"); }

    public static SourceStatus down(String why) { return new SourceStatus(false, why); }
}
