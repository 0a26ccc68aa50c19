package dev.jcni.netlink;

import dev.jcni.sys.Libc;

import java.nio.file.Path;

/** An open network-namespace file descriptor; closing it releases the fd, not the namespace. */
public record NsFd(int fd, Path path) implements AutoCloseable {
    @Override
    public void close() { Libc.close(fd); }
}
