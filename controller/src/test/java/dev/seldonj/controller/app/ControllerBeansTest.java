package dev.seldonj.controller.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seldonj.api.model.Protocol;
import dev.seldonj.desired.config.OperatorConfig;
import io.micronaut.context.ApplicationContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Micronaut properties (as any property source gives them) bind to the typed configuration. */
class ControllerBeansTest {

    @Test
    void listsMapsAndImplementationKeysSurviveMicronautsPropertyNormalisation() {
        try (ApplicationContext context = ApplicationContext.builder()
                .properties(Map.of(
                        "seldonj.operator.enabled",
                        false,
                        "seldon.controller.webhook.enabled",
                        false,
                        "seldon.controller.watch-namespaces",
                        List.of("team-a", "team-b"),
                        "seldon.controller.controller-id",
                        "blue",
                        "seldon.controller.engine.readiness-probe.initial-delay-seconds",
                        2,
                        "seldon.controller.predictor-servers.MY_SERVER.protocols.seldon.image",
                        "example/mine",
                        "seldon.controller.predictor-servers.MY_SERVER.protocols.seldon.default-image-version",
                        "3"))
                .start()) {
            OperatorConfig config = context.getBean(OperatorConfig.class);
            assertThat(config.watchNamespaces()).containsExactly("team-a", "team-b");
            assertThat(config.controllerId()).isEqualTo("blue");
            assertThat(config.engine().readinessProbe().initialDelaySeconds()).isEqualTo(2);
            assertThat(config.engine().readinessProbe().periodSeconds()).isEqualTo(5);
            assertThat(config.predictorServers().image("MY_SERVER", Protocol.SELDON))
                    .contains("example/mine:3");
            assertThat(config.predictorServers().names()).contains("SKLEARN_SERVER");
            assertThat(context.containsBean(OperatorRunner.class)).isFalse();
        }
    }
}
