package dev.jcni.ipam;

/** A held store lock; closing releases it. Narrows {@code close()} to throw nothing checked. */
@FunctionalInterface
public interface StoreLock extends AutoCloseable {
    @Override
    void close();
}
