package dev.seldonj.controller.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seldonj.desired.config.OperatorConfig;
import dev.seldonj.desired.config.OperatorConfigLoader;
import io.micronaut.context.ApplicationContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The settings read from the file are the context's one {@link OperatorConfig}, and they, not a
 * Micronaut property, decide whether the webhook runs.
 */
class ControllerSettingsTest {

    @Test
    void theContextServesTheSettingsItWasGivenAndTheyTurnTheWebhookOff() {
        OperatorConfig settings = OperatorConfigLoader.fromYaml("""
                controller-id: blue
                watch-namespaces: [team-a, team-b]
                webhook: {enabled: false}
                """);
        try (ApplicationContext context = ApplicationContext.builder()
                .singletons(settings)
                .properties(Map.of("seldonj.operator.enabled", false))
                .start()) {
            assertThat(context.getBean(OperatorConfig.class)).isSameAs(settings);
            assertThat(context.containsBean(WebhookRunner.class)).isFalse();
            assertThat(context.containsBean(OperatorRunner.class)).isFalse();
        }
    }

    @Test
    void micronautPropertiesNoLongerReachTheSettings() {
        OperatorConfig settings = OperatorConfigLoader.fromYaml("webhook: {enabled: false}");
        try (ApplicationContext context = ApplicationContext.builder()
                .singletons(settings)
                .properties(Map.of(
                        "seldonj.operator.enabled", false,
                        "seldon.controller.controller-id", "ignored",
                        "seldon.controller.webhook.enabled", true))
                .start()) {
            assertThat(context.getBean(OperatorConfig.class).controllerId()).isEmpty();
            assertThat(context.containsBean(WebhookRunner.class)).isFalse();
        }
    }
}
