package dev.jcni.ipam;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who holds a reservation: one attachment, (CNI_CONTAINERID, CNI_IFNAME). Validated here with the
 * spec's rules so that a key can never smuggle a newline into a reservation file. The container ID
 * is still never used in a path: stores name files by address.
 */
public record ReservationKey(String containerId, String ifname) {

    private static final Pattern CONTAINER_ID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]*");

    public ReservationKey {
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(ifname, "ifname");
        if (!CONTAINER_ID.matcher(containerId).matches()) {
            throw new IllegalArgumentException("invalid container ID \"" + containerId
                    + "\": want ^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$");
        }
        if (ifname.isEmpty() || ifname.length() > 15 || ifname.equals(".") || ifname.equals("..")
                || ifname.chars().anyMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c))) {
            throw new IllegalArgumentException("invalid interface name \"" + ifname
                    + "\": want 1-15 characters, not . or .., without '/', ':' or whitespace");
        }
    }

    @Override
    public String toString() {
        return containerId + "/" + ifname;
    }
}
