package dev.jcni.ipam;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class DiskReservationStoreContractTest extends ReservationStoreContract {

    @TempDir
    Path dataDir;

    @Override
    ReservationStore newStore() {
        return DiskReservationStore.forNetwork(dataDir, "podnet");
    }
}
