package dev.jcni.ipam;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reservations as files, one directory per network (host-local's disk backend):
 * <pre>
 *   &lt;dir&gt;/lock                            lock file, see {@link DirectoryLock}
 *   &lt;dir&gt;/10.240.0.5                      "containerId\nifname"
 *   &lt;dir&gt;/fd00_10_240__5                  IPv6: ':' written as '_'
 *   &lt;dir&gt;/last_reserved_ip.10.240.0.0-24  round-robin bookmark per range
 * </pre>
 * Files are named by address only, so no container ID ever reaches a path. Every file is written
 * through {@link AtomicFiles}. A reservation file whose content is not a valid key (left by an
 * older or foreign writer, or by disk corruption) counts as free: readers skip it and
 * {@link #reserve} reclaims it, so one bad file cannot block its address forever.
 */
public final class DiskReservationStore implements ReservationStore {

    static final String LOCK_FILE = "lock";
    static final String LAST_RESERVED_PREFIX = "last_reserved_ip.";

    // libcni's rule for network names; it also makes the name one harmless path segment.
    private static final Pattern NETWORK_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]*");
    private static final Pattern RANGE_ID = Pattern.compile("[a-zA-Z0-9_\\-][a-zA-Z0-9_.\\-]*");
    private static final int NAME_MAX = 255;

    private final Path dir;
    private final DirectoryLock lock;

    /** Opens (creating if needed) the store in {@code dir}, which holds one network only. */
    public DiskReservationStore(Path dir) {
        Objects.requireNonNull(dir, "dir");
        try {
            Files.createDirectories(dir);
            this.dir = dir.toRealPath();
        } catch (IOException e) {
            throw new StoreException("cannot create IPAM store directory", dir, e);
        }
        this.lock = new DirectoryLock(this.dir.resolve(LOCK_FILE));
    }

    /** The store for {@code networkName} under {@code dataDir}; rejects names that are not one plain segment. */
    public static DiskReservationStore forNetwork(Path dataDir, String networkName) {
        Objects.requireNonNull(dataDir, "dataDir");
        if (networkName == null || networkName.length() > NAME_MAX || !NETWORK_NAME.matcher(networkName).matches()) {
            throw new IllegalArgumentException("invalid network name \"" + networkName
                    + "\": want ^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$, at most " + NAME_MAX + " characters");
        }
        return new DiskReservationStore(dataDir.resolve(networkName));
    }

    public Path directory() {
        return dir;
    }

    @Override
    public StoreLock lock() {
        StoreLock held = lock.acquire();
        try {
            // Every writer holds this lock, so any temp file now present is a crash leftover.
            AtomicFiles.deleteLeftovers(dir);
        } catch (IOException e) {
            held.close();
            throw new StoreException("cannot clean IPAM store", dir, e);
        }
        return held;
    }

    @Override
    public boolean reserve(ReservationKey key, InetAddress ip, String rangeId) {
        Path file = ipFile(ip);
        Path bookmark = lastReservedFile(rangeId);
        byte[] content = ReservationFile.encode(key);
        try {
            if (!AtomicFiles.createIfAbsent(file, content)) {
                if (holder(file).isPresent()) {
                    return false;
                }
                // The name exists but holds no valid key: reclaim it, once.
                Files.deleteIfExists(file);
                if (!AtomicFiles.createIfAbsent(file, content)) {
                    return false;
                }
            }
        } catch (IOException e) {
            throw new StoreException("cannot reserve " + IpAddresses.format(ip), file, e);
        }
        try {
            AtomicFiles.replace(bookmark, IpAddresses.format(ip).getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // All or nothing: undo the reservation so a retried ADD starts clean.
            StoreException failure = new StoreException("cannot record last reserved IP", bookmark, e);
            try {
                Files.deleteIfExists(file);
            } catch (IOException undo) {
                failure.addSuppressed(undo);
            }
            throw failure;
        }
        return true;
    }

    @Override
    public Optional<InetAddress> lastReserved(String rangeId) {
        Path bookmark = lastReservedFile(rangeId);
        try {
            String text = Files.readString(bookmark, StandardCharsets.US_ASCII).strip();
            return Optional.of(IpAddresses.parse(text));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // only a hint for where to start; a bad one just restarts the walk
        } catch (IOException e) {
            throw new StoreException("cannot read last reserved IP", bookmark, e);
        }
    }

    @Override
    public List<InetAddress> findByKey(ReservationKey key) {
        return all().stream().filter(r -> r.key().equals(key)).map(Reservation::ip).toList();
    }

    @Override
    public void releaseByKey(ReservationKey key) {
        StoreException failure = null;
        for (Reservation reservation : all()) {
            if (!reservation.key().equals(key)) {
                continue;
            }
            try {
                delete(reservation.ip());
            } catch (StoreException e) {
                // Keep going: DEL must release as much as it can.
                if (failure == null) failure = e;
                else failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void releaseIp(InetAddress ip) {
        delete(ip);
    }

    @Override
    public List<Reservation> all() {
        List<Reservation> reservations = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                Optional<InetAddress> ip = IpAddresses.fromFileName(entry.getFileName().toString());
                if (ip.isEmpty() || !Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                    continue; // lock, bookmarks, temp files
                }
                holder(entry).ifPresent(key -> reservations.add(new Reservation(ip.get(), key)));
            }
        } catch (IOException e) {
            throw new StoreException("cannot list IPAM store", dir, e);
        }
        reservations.sort(Comparator.comparing(Reservation::ip, IpAddresses.ORDER));
        return List.copyOf(reservations);
    }

    /** The key in a reservation file; empty when the file is gone or does not hold a valid key. */
    private Optional<ReservationKey> holder(Path file) throws IOException {
        try {
            return ReservationFile.decode(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private void delete(InetAddress ip) {
        Path file = ipFile(ip);
        try {
            if (Files.deleteIfExists(file)) {
                AtomicFiles.fsyncDirectory(dir);
            }
        } catch (IOException e) {
            throw new StoreException("cannot release " + IpAddresses.format(ip), file, e);
        }
    }

    private Path ipFile(InetAddress ip) {
        return dir.resolve(IpAddresses.toFileName(ip));
    }

    private Path lastReservedFile(String rangeId) {
        if (rangeId == null || rangeId.length() > NAME_MAX - LAST_RESERVED_PREFIX.length()
                || !RANGE_ID.matcher(rangeId).matches()) {
            throw new IllegalArgumentException("invalid range id \"" + rangeId + "\"");
        }
        return dir.resolve(LAST_RESERVED_PREFIX + rangeId);
    }
}
