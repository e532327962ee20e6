package dev.seldonj.controller.app;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;

/** Starts the Micronaut context that runs the operator, the webhook, health and metrics. */
public final class ControllerApplication {

  private ControllerApplication() {}

  public static ApplicationContext start(String... args) {
    return Micronaut.build(args).mainClass(ControllerApplication.class).banner(false).start();
  }
}
