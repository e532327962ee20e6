package dev.seldonj.controller.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The controller jar's command line: {@code operator} (the default) runs the controller,
 * {@code render -f FILE} prints the objects it would create.
 */
@Command(
        name = "seldonj-controller",
        mixinStandardHelpOptions = true,
        version = "seldonj-controller 0.1.0",
        description = "Reconciles SeldonDeployments into Deployments, Services and routes.",
        subcommands = {OperatorCommand.class, RenderCommand.class})
public final class ControllerCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        return new CommandLine(new OperatorCommand()).execute();
    }

    public static void main(String[] args) {
        String[] effective = args.length == 0 ? new String[] {"operator"} : args;
        int code = new CommandLine(new ControllerCommand()).execute(effective);
        if (code != 0 || !OperatorCommand.isRunning()) {
            System.exit(code);
        }
    }
}
