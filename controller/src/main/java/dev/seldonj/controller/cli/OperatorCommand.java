package dev.seldonj.controller.cli;

import dev.seldonj.controller.app.ControllerApplication;
import dev.seldonj.controller.app.StartupErrors;
import dev.seldonj.desired.config.OperatorConfig;
import dev.seldonj.desired.config.OperatorConfigLoader;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code operator [--config FILE]}: runs the controller (reconcile loop, webhook, health and metrics)
 * until stopped. The settings file is read here, once, before anything starts; the chart passes its
 * ConfigMap's {@code controller.yaml}. A start that fails, a bad settings file included, prints one
 * line, {@code seldonj-controller: cannot start: <reason>}, and exits 1: the reason names what to
 * fix, and a stack trace would bury it in {@code kubectl logs}.
 */
@Command(
        name = "operator",
        mixinStandardHelpOptions = true,
        description = "Run the controller (default). Micronaut's own settings (server port, log levels): "
                + "MICRONAUT_CONFIG_FILES=/etc/seldonj/application.yml")
public final class OperatorCommand implements Callable<Integer> {

    @Option(
            names = {"-c", "--config"},
            description =
                    "Controller settings file (the chart's /etc/seldonj/controller.yaml); default settings otherwise")
    Path config;

    private static volatile ApplicationContext context;

    static boolean isRunning() {
        ApplicationContext c = context;
        return c != null && c.isRunning();
    }

    @Override
    public Integer call() {
        try {
            OperatorConfig settings =
                    config == null ? OperatorConfig.defaults() : OperatorConfigLoader.fromFile(config);
            context = ControllerApplication.start(settings);
            return 0;
        } catch (RuntimeException e) {
            System.err.println("seldonj-controller: cannot start: " + StartupErrors.describe(e));
            return 1;
        }
    }
}
