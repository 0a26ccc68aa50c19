package dev.jcni.cli;

import picocli.CommandLine.Command;

/** {@code jcni version}: the build, the runtime, and the CNI versions spoken. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print jcni's version and the CNI spec versions it supports.")
final class VersionCommand implements Runnable {
    @Override
    public void run() {
        System.out.println("jcni " + JcniVersion.get());
        System.out.println("java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")");
        System.out.println("cni spec versions: " + String.join(", ", JcniVersion.CNI_VERSIONS));
    }
}
