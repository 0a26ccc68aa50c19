package dev.jcni.cli;

/**
 * The one entry point. With CNI_COMMAND set, a container runtime is calling: act as the CNI plugin,
 * and load nothing the plugin does not need (every pod pays for start-up). Otherwise it is the CLI.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        args = NetnsOption.enter(args);
        String cniCommand = System.getenv("CNI_COMMAND");
        if (cniCommand != null && !cniCommand.isEmpty()) {
            System.exit(PluginMain.run());
        }
        System.exit(Cli.run(args));
    }
}
