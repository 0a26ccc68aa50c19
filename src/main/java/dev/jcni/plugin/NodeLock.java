package dev.jcni.plugin;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A cross-process lock around the bridge: held from "ensure the bridge" until the new port is on it,
 * so a failing ADD that removes the bridge it created can never pull it from under a concurrent ADD.
 */
public final class NodeLock implements AutoCloseable {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final FileChannel channel;
    private final FileLock lock;
    private final ReentrantLock inProcess;

    private NodeLock(FileChannel channel, FileLock lock, ReentrantLock inProcess) {
        this.channel = channel;
        this.lock = lock;
        this.inProcess = inProcess;
    }

    public static NodeLock acquire(Path dataDir, String bridge) throws IOException {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve("bridge-" + bridge + ".lock").toAbsolutePath().normalize();
        // File locks belong to the whole process: threads of one JVM (the agent serving plugin
        // requests) must queue on a lock of their own first, or the second would get OverlappingFileLockException.
        ReentrantLock inProcess = IN_PROCESS.computeIfAbsent(file, f -> new ReentrantLock());
        inProcess.lock();
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new NodeLock(ch, ch.lock(), inProcess);
        } catch (IOException | RuntimeException e) {
            if (ch != null) ch.close();
            inProcess.unlock();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // closing the channel drops the lock in any case
        } finally {
            inProcess.unlock();
        }
    }
}
