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
        boolean calledAsPlugin = cniCommand != null && !cniCommand.isEmpty()
                // A runtime that forgot CNI_COMMAND still gets a CNI error (code 4), not CLI usage text.
                || (args.length == 0 && System.getenv().keySet().stream().anyMatch(k -> k.startsWith("CNI_")));
        if (calledAsPlugin) {
            System.exit(PluginMain.run());
        }
        System.exit(Cli.run(args));
    }
}
