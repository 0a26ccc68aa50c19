package dev.jcni.ipam;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive lock on one lock file, held across threads and processes.
 *
 * <p>{@link FileChannel#lock()} alone is not enough inside one JVM: file locks belong to the whole
 * process, so a second channel asking for the same lock gets {@code OverlappingFileLockException}
 * instead of waiting, and closing any channel on the file may drop the lock the other one holds.
 * Threads therefore queue on an in-process lock first, and only its holder ever opens the file.
 * That in-process lock is the one piece of static state here: it must be shared by every store
 * instance on the same directory, and there is one per lock file, so the map stays small.
 */
final class DirectoryLock {

    private static final ConcurrentMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final Path lockFile;
    private final ReentrantLock inProcess;

    /** {@code lockFile} must be a real (canonical) path so that every spelling shares one lock. */
    DirectoryLock(Path lockFile) {
        this.lockFile = lockFile;
        this.inProcess = IN_PROCESS.computeIfAbsent(lockFile, p -> new ReentrantLock());
    }

    /** Blocks until held. Not re-entrant: a nested acquire would deadlock on the file lock. */
    StoreLock acquire() {
        if (inProcess.isHeldByCurrentThread()) {
            throw new IllegalStateException("lock " + lockFile + " is already held by this thread");
        }
        inProcess.lock();
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock fileLock = channel.lock();
            return new Held(channel, fileLock);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel, e);
            inProcess.unlock();
            throw new StoreException("cannot lock IPAM store", lockFile, e);
        }
    }

    private final class Held implements StoreLock {
        private final FileChannel channel;
        private final FileLock fileLock;
        private final AtomicBoolean closed = new AtomicBoolean();

        Held(FileChannel channel, FileLock fileLock) {
            this.channel = channel;
            this.fileLock = fileLock;
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            try {
                fileLock.release();
                channel.close();
            } catch (IOException e) {
                // Closing the channel drops the lock even when release() failed.
                closeQuietly(channel, e);
                throw new StoreException("cannot unlock IPAM store", lockFile, e);
            } finally {
                inProcess.unlock();
            }
        }
    }

    private static void closeQuietly(FileChannel channel, Exception primary) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }
}
