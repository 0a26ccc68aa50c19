package dev.jcni.ipam;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Where reservations live (host-local's store.Store). The allocator calls every other method while
 * holding {@link #lock()}, which makes a read-then-reserve sequence safe; {@link #reserve} is an
 * atomic create-if-absent on its own as well. Failures are {@link StoreException}s.
 */
public interface ReservationStore {

    /** Blocks until this caller holds the store exclusively: across threads and, for a disk store, processes. */
    StoreLock lock();

    /** Records {@code ip} for {@code key} unless someone holds it; true when this call reserved it. */
    boolean reserve(ReservationKey key, InetAddress ip, String rangeId);

    /** The address most recently reserved in the range, where round-robin resumes. */
    Optional<InetAddress> lastReserved(String rangeId);

    /** Addresses held by {@code key}, in address order. */
    List<InetAddress> findByKey(ReservationKey key);

    /** Releases every address held by {@code key}; nothing held is fine. */
    void releaseByKey(ReservationKey key);

    /** Releases one address; an address not reserved is fine. */
    void releaseIp(InetAddress ip);

    /** Every reservation, in address order. */
    List<Reservation> all();
}
