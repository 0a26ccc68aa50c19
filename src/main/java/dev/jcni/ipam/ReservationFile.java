package dev.jcni.ipam;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The content of a reservation file: {@code containerId + "\n" + ifname}, as host-local writes it
 * (host-local uses "\r\n"; both are read).
 */
final class ReservationFile {

    private ReservationFile() {}

    static byte[] encode(ReservationKey key) {
        return (key.containerId() + "\n" + key.ifname()).getBytes(StandardCharsets.UTF_8);
    }

    /** Empty for anything that is not a complete, valid key: such a file holds nothing. */
    static Optional<ReservationKey> decode(byte[] content) {
        String text = new String(content, StandardCharsets.UTF_8);
        String[] lines = text.split("\r?\n", -1);
        if (lines.length != 2) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ReservationKey(lines[0], lines[1]));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
