package dev.jcni.ipam;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/** An in-memory store for tests and for callers that need no persistence. Thread-safe. */
public final class MemoryReservationStore implements ReservationStore {

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<InetAddress, ReservationKey> reservations = new TreeMap<>(IpAddresses.ORDER);
    private final Map<String, InetAddress> lastReserved = new HashMap<>();

    @Override
    public StoreLock lock() {
        lock.lock();
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.compareAndSet(true, false)) lock.unlock();
        };
    }

    @Override
    public synchronized boolean reserve(ReservationKey key, InetAddress ip, String rangeId) {
        if (reservations.putIfAbsent(ip, key) != null) {
            return false;
        }
        lastReserved.put(rangeId, ip);
        return true;
    }

    @Override
    public synchronized Optional<InetAddress> lastReserved(String rangeId) {
        return Optional.ofNullable(lastReserved.get(rangeId));
    }

    @Override
    public synchronized List<InetAddress> findByKey(ReservationKey key) {
        return reservations.entrySet().stream()
                .filter(e -> e.getValue().equals(key))
                .map(Map.Entry::getKey)
                .toList();
    }

    @Override
    public synchronized void releaseByKey(ReservationKey key) {
        reservations.values().removeIf(key::equals);
    }

    @Override
    public synchronized void releaseIp(InetAddress ip) {
        reservations.remove(ip);
    }

    @Override
    public synchronized List<Reservation> all() {
        return reservations.entrySet().stream()
                .map(e -> new Reservation(e.getKey(), e.getValue()))
                .toList();
    }
}
