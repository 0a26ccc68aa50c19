package dev.jcni.agent.source.etcd;

import dev.jcni.ipam.IpPrefix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * {@code <stateDir>/etcd-subnet}: the block this node last held, one CIDR on one line, so a restarted
 * agent asks for it first even if the {@code /jcni/nodes/} hint in etcd is gone.
 */
final class HintFile {
    static final String NAME = "etcd-subnet";

    private HintFile() {}

    static Path path(Path stateDir) {
        return stateDir.resolve(NAME);
    }

    /** The recorded block; empty when there is no file. Garbage throws, naming the file. */
    static Optional<IpPrefix> read(Path stateDir) throws IOException {
        Path p = path(stateDir);
        String text;
        try {
            text = Files.readString(p, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(IpPrefix.parse(text));
        } catch (IllegalArgumentException e) {
            throw new IOException(p + ": " + e.getMessage(), e);
        }
    }

    /** Replaces the file atomically (write a temporary file, then rename it over). */
    static void write(Path stateDir, IpPrefix cidr) throws IOException {
        Files.createDirectories(stateDir);
        Path tmp = stateDir.resolve(NAME + ".tmp");
        Files.writeString(tmp, cidr + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, path(stateDir), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
