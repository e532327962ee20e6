package dev.seldonj.controller.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seldonj.desired.config.OperatorConfigLoader;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micronaut.context.exceptions.BeanInstantiationException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** The one line printed for a failed start, found under Micronaut's and fabric8's wrappers. */
class StartupErrorsTest {

    @Test
    void aStartupFailureUnderBeanWrappersIsPrintedAsItsOwnMessage() {
        Throwable wrapped = new ControllerApplication.StartFailed(new BeanInstantiationException(
                "Error instantiating bean\n\nMessage: x",
                new StartupFailure("webhook certificate: /certs/tls.crt: no such file")));
        assertThat(StartupErrors.describe(wrapped)).isEqualTo("webhook certificate: /certs/tls.crt: no such file");
    }

    @Test
    void aConfigurationErrorNamesItsKey() {
        Throwable wrapped = new RuntimeException(new OperatorConfigLoader.InvalidConfigException(
                "/etc/seldonj/controller.yaml: engine.imagee: unknown key"));
        assertThat(StartupErrors.describe(wrapped))
                .isEqualTo("configuration: /etc/seldonj/controller.yaml: engine.imagee: unknown key");
    }

    @Test
    void apiErrorsAreOneLine() {
        KubernetesClientException forbidden = new KubernetesClientException(new StatusBuilder()
                .withCode(403)
                .withMessage("seldondeployments is forbidden: User \"x\" cannot list resource\nsecond line")
                .build());
        assertThat(StartupErrors.describe(new RuntimeException(forbidden)))
                .isEqualTo(
                        "Kubernetes API: 403 Forbidden: seldondeployments is forbidden: User \"x\" cannot list resource");
        KubernetesClientException refused =
                new KubernetesClientException("An error has occurred.", new ConnectException());
        assertThat(StartupErrors.describe(refused)).isEqualTo("Kubernetes API: connection refused");
    }

    @Test
    void anythingElseIsItsInnermostCauseOnOneLine() {
        Throwable failure = new RuntimeException("outer", new IllegalStateException("inner\n\tat somewhere"));
        assertThat(StartupErrors.describe(failure)).isEqualTo("IllegalStateException: inner");
    }
}
