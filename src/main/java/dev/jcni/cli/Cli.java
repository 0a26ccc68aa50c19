package dev.jcni.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command-line tool: {@code jcni version}, and the agent and lab as they arrive. */
@Command(name = "jcni", mixinStandardHelpOptions = true, versionProvider = JcniVersion.Provider.class,
        description = "A Kubernetes CNI plugin and node agent. Run as the CNI plugin when CNI_COMMAND is set.",
        subcommands = {VersionCommand.class, AgentCommand.class, StatusCommand.class, InstallCommand.class, LabCommand.class, ExecCommand.class,
                CommandLine.HelpCommand.class})
public final class Cli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static int run(String[] args) {
        return new CommandLine(new Cli()).execute(args);
    }
}
