package dev.seldonj.controller.app;

import dev.seldonj.controller.tls.PemKeys.InvalidPemException;
import dev.seldonj.controller.webhook.AdmissionHandler;
import dev.seldonj.controller.webhook.WebhookServer;
import dev.seldonj.desired.config.OperatorConfig;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Order;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/**
 * Serves the admission webhook when the setting {@code webhook.enabled} is on (the default). Created
 * before the operator ({@link Order}) so that a bad certificate, a purely local problem, is reported
 * before anything talks to the API server.
 */
@Context
@Order(1)
@Requires(condition = WebhookEnabled.class)
public class WebhookRunner {

    /** Where the certificate comes from, for the person reading the error. */
    static final String CERT_HINT = "the certificate directory is the setting webhook.cert-dir "
            + "(the chart mounts its webhook TLS Secret there; chart values certManager.enabled, webhook.enabled), "
            + "or turn the webhook off with webhook.enabled: false";

    private final WebhookServer server;

    public WebhookRunner(OperatorConfig config, AdmissionHandler handler) {
        int port = config.webhook().port();
        try {
            this.server = WebhookServer.start(port, Path.of(config.webhook().certDir()), handler);
        } catch (InvalidPemException e) {
            throw new StartupFailure("webhook certificate: " + e.getMessage() + "; " + CERT_HINT);
        } catch (IOException | GeneralSecurityException e) {
            throw new StartupFailure(
                    "webhook: cannot listen on port " + port + " (setting webhook.port): " + StartupErrors.cause(e));
        }
    }

    public int port() {
        return server.port();
    }

    @PreDestroy
    void stop() {
        server.close();
    }
}
