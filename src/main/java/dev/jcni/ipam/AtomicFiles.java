package dev.jcni.ipam;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes that a reader sees whole or not at all, even across a crash.
 *
 * <p>Content always goes to a fresh temp file in the target's directory and is fsynced first; only
 * then does a single directory operation give it its real name. {@link #replace} uses rename, which
 * overwrites. {@link #createIfAbsent} uses link(2), which is both atomic and exclusive: it fails if
 * the name exists, where rename would silently overwrite someone else's reservation, and where
 * CREATE_NEW followed by a write could leave an empty file behind after a crash. A crash can
 * therefore leave only a temp file, which {@link #deleteLeftovers} removes.
 */
final class AtomicFiles {

    static final String TEMP_PREFIX = ".tmp-";

    private AtomicFiles() {}

    /** Atomically creates {@code target} with {@code content}; false if the name already exists. */
    static boolean createIfAbsent(Path target, byte[] content) throws IOException {
        Path temp = writeTemp(target, content);
        try {
            Files.createLink(target, temp);
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(temp);
        }
        fsyncDirectory(target.getParent());
        return true;
    }

    /** Atomically creates or replaces {@code target} with {@code content}. */
    static void replace(Path target, byte[] content) throws IOException {
        Path temp = writeTemp(target, content);
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        fsyncDirectory(target.getParent());
    }

    /** Makes creations, renames and deletions in {@code dir} durable. */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /**
     * Removes temp files a crashed writer left. Only safe while holding the lock every writer
     * holds, since then no temp file can belong to a write in progress.
     */
    static void deleteLeftovers(Path dir) throws IOException {
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
            for (Path temp : temps) {
                Files.deleteIfExists(temp);
            }
        }
    }

    private static Path writeTemp(Path target, byte[] content) throws IOException {
        Path temp = Files.createTempFile(target.getParent(), TEMP_PREFIX, "");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return temp;
    }
}
