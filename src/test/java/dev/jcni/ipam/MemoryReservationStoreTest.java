package dev.jcni.ipam;

class MemoryReservationStoreTest extends ReservationStoreContract {
    @Override
    ReservationStore newStore() {
        return new MemoryReservationStore();
    }
}
