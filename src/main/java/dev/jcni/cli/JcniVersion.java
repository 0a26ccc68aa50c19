package dev.jcni.cli;

import picocli.CommandLine;

import java.util.List;

/** jcni's own version, from the jar manifest. */
final class JcniVersion {
    static final List<String> CNI_VERSIONS = List.of("0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0");

    private JcniVersion() {}

    static String get() {
        String v = JcniVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() { return new String[]{"jcni " + get()}; }
    }
}
