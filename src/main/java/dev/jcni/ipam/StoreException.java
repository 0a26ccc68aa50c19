package dev.jcni.ipam;

import java.nio.file.Path;

/** The reservation store could not be read or written; {@link #path()} names the file when there is one. */
public final class StoreException extends IpamException {

    private final transient Path path;

    public StoreException(String message, Path path, Throwable cause) {
        super(path == null ? message : message + ": " + path, cause);
        this.path = path;
    }

    public Path path() {
        return path;
    }
}
