package dev.jcni.ipam;

/**
 * Every failure the IPAM package reports on purpose. Sealed so a caller mapping them to CNI error
 * codes (exhausted pool: 11 "try again later" or plugin-specific; store I/O: 5) handles them all.
 */
public sealed abstract class IpamException extends RuntimeException
        permits PoolExhaustedException, StoreException {

    protected IpamException(String message, Throwable cause) {
        super(message, cause);
    }
}
