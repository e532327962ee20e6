package dev.seldonj.controller.cli;

import dev.seldonj.controller.app.ControllerApplication;
import dev.seldonj.controller.app.StartupErrors;
import io.micronaut.context.ApplicationContext;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code operator}: runs the controller (reconcile loop, webhook, health and metrics) until stopped.
 * A start that fails prints one line, {@code seldonj-controller: cannot start: <reason>}, and exits
 * 1: the reason names what to fix, and a stack trace would bury it in {@code kubectl logs}.
 */
@Command(
        name = "operator",
        mixinStandardHelpOptions = true,
        description = "Run the controller (default). Settings: MICRONAUT_CONFIG_FILES=/etc/seldonj/application.yml")
public final class OperatorCommand implements Callable<Integer> {

    private static volatile ApplicationContext context;

    static boolean isRunning() {
        ApplicationContext c = context;
        return c != null && c.isRunning();
    }

    @Override
    public Integer call() {
        try {
            context = ControllerApplication.start();
            return 0;
        } catch (RuntimeException e) {
            System.err.println("seldonj-controller: cannot start: " + StartupErrors.describe(e));
            return 1;
        }
    }
}
