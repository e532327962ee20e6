package dev.seldonj.controller.app;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;

/**
 * Starts the Micronaut context that runs the operator, the webhook, health and metrics. Of the
 * environment variables only POD_NAMESPACE becomes a property: Kubernetes injects
 * {@code <SERVICE>_SERVICE_HOST}-style variables for every Service in the namespace, which Micronaut
 * would otherwise turn into (unknown, rejected) {@code seldon.controller.*} keys for some release
 * names. Settings come from the MICRONAUT_CONFIG_FILES file.
 */
public final class ControllerApplication {

  private ControllerApplication() {}

  public static ApplicationContext start(String... args) {
    return Micronaut.build(args)
        .mainClass(ControllerApplication.class)
        .banner(false)
        .environmentVariableIncludes("POD_NAMESPACE")
        .start();
  }
}
