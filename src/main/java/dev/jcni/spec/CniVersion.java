package dev.jcni.spec;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A CNI spec version ("1.1.0"); ordered numerically, so 0.10.0 sorts after 0.4.0. */
public record CniVersion(int major, int minor, int patch) implements Comparable<CniVersion> {
    private static final Pattern SEMVER = Pattern.compile("(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})");

    public static final CniVersion V0_3_0 = new CniVersion(0, 3, 0);
    public static final CniVersion V0_3_1 = new CniVersion(0, 3, 1);
    public static final CniVersion V0_4_0 = new CniVersion(0, 4, 0);
    public static final CniVersion V1_0_0 = new CniVersion(1, 0, 0);
    public static final CniVersion V1_1_0 = new CniVersion(1, 1, 0);
    public static final CniVersion LATEST = V1_1_0;

    /** Versions jcni can read and write, oldest first. Older results use a different shape (ip4/ip6). */
    public static final List<CniVersion> SUPPORTED = List.of(V0_3_0, V0_3_1, V0_4_0, V1_0_0, V1_1_0);

    public CniVersion {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("negative version component");
        }
    }

    /** Parses "x.y.z"; anything else is an incompatible-version error (code 1). */
    public static CniVersion parse(String text) {
        return tryParse(text).orElseThrow(() -> CniException.incompatibleVersion(
                "invalid cniVersion \"" + text + "\"", "expected one of " + supportedStrings()));
    }

    public static Optional<CniVersion> tryParse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = SEMVER.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new CniVersion(
                Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))));
    }

    public static List<String> supportedStrings() {
        return SUPPORTED.stream().map(CniVersion::toString).toList();
    }

    public boolean isSupported() {
        return SUPPORTED.contains(this);
    }

    public boolean atLeast(CniVersion other) {
        return compareTo(other) >= 0;
    }

    /** CHECK exists from 0.4.0. */
    public boolean supportsCheck() {
        return atLeast(V0_4_0);
    }

    /** STATUS and GC exist from 1.1.0. */
    public boolean supportsStatusAndGc() {
        return atLeast(V1_1_0);
    }

    /** Results before 1.0.0 carry "version":"4"|"6" in every ips[] entry. */
    public boolean hasIpVersionField() {
        return compareTo(V1_0_0) < 0;
    }

    /** 1.1.0 added interface mtu/socketPath/pciID and route mtu/advmss/priority/table/scope. */
    public boolean hasExtendedResultFields() {
        return atLeast(V1_1_0);
    }

    @Override
    public int compareTo(CniVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
