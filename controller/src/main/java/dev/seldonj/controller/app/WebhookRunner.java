package dev.seldonj.controller.app;

import dev.seldonj.controller.config.OperatorConfig;
import dev.seldonj.controller.webhook.AdmissionHandler;
import dev.seldonj.controller.webhook.WebhookServer;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/** Serves the admission webhook when {@code seldon.controller.webhook.enabled} (the default). */
@Context
@Requires(property = "seldon.controller.webhook.enabled", notEquals = "false")
public class WebhookRunner {

  private final WebhookServer server;

  public WebhookRunner(OperatorConfig config, AdmissionHandler handler) throws IOException, GeneralSecurityException {
    this.server = WebhookServer.start(config.webhook().port(), Path.of(config.webhook().certDir()), handler);
  }

  public int port() {
    return server.port();
  }

  @PreDestroy
  void stop() {
    server.close();
  }
}
