package dev.seldonj.controller.cli;

import dev.seldonj.controller.app.ControllerApplication;
import io.micronaut.context.ApplicationContext;
import picocli.CommandLine.Command;

/** {@code operator}: runs the controller (reconcile loop, webhook, health and metrics) until stopped. */
@Command(name = "operator", mixinStandardHelpOptions = true,
    description = "Run the controller (default). Settings: MICRONAUT_CONFIG_FILES=/etc/seldonj/application.yml")
public final class OperatorCommand implements Runnable {

  private static volatile ApplicationContext context;

  static boolean isRunning() {
    ApplicationContext c = context;
    return c != null && c.isRunning();
  }

  @Override
  public void run() {
    context = ControllerApplication.start();
  }
}
