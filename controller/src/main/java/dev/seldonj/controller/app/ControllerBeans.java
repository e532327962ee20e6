package dev.seldonj.controller.app;

import dev.seldonj.api.validation.SeldonDeploymentValidator;
import dev.seldonj.controller.webhook.AdmissionHandler;
import dev.seldonj.desired.config.OperatorConfig;
import dev.seldonj.desired.config.OperatorConfigLoader;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Map;

/** The controller's beans: typed configuration, the Kubernetes client, the validator. */
@Factory
public class ControllerBeans {

    /** Settings under {@code seldon.controller} of the application.yml, over the defaults. */
    @Singleton
    OperatorConfig operatorConfig(Environment environment) {
        Map<String, Object> settings = environment.getProperties(OperatorConfigLoader.PREFIX, StringConvention.RAW);
        return OperatorConfigLoader.fromMap(PropertyTree.nest(settings));
    }

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
