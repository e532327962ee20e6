package dev.seldonj.controller.app;

import dev.seldonj.api.validation.SeldonDeploymentValidator;
import dev.seldonj.controller.webhook.AdmissionHandler;
import dev.seldonj.desired.config.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The controller's beans: the Kubernetes client, the clock, the admission handler. The typed
 * settings ({@link OperatorConfig}) are no bean made here: {@link ControllerApplication#start} is
 * given them, read once from the settings file, and registers them.
 */
@Factory
public class ControllerBeans {

    /** A client from the in-cluster service account or kubeconfig ({@link KubeClients}); tests replace it with the mock server's. */
    @Singleton
    @Bean(preDestroy = "close")
    @Requires(missingBeans = KubernetesClient.class)
    KubernetesClient kubernetesClient() {
        return KubeClients.fromEnvironment();
    }

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    AdmissionHandler admissionHandler(OperatorConfig config) {
        return new AdmissionHandler(new SeldonDeploymentValidator(config.validationContext()));
    }
}
