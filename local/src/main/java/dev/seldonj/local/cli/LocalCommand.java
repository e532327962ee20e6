package dev.seldonj.local.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code seldonj-local}: run SeldonDeployments on this machine. */
@Command(
        name = "seldonj-local",
        mixinStandardHelpOptions = true,
        version = "seldonj-local 0.1.0",
        description = "Runs a SeldonDeployment on this machine, as local processes behind an Ambassador-style gateway.",
        subcommands = {RunCommand.class})
public final class LocalCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new LocalCommand()).execute(args));
    }
}
