package dev.seldonj.controller.app;

import dev.seldonj.desired.config.OperatorConfig;
import io.micronaut.context.condition.Condition;
import io.micronaut.context.condition.ConditionContext;

/**
 * True when the controller's settings ({@link OperatorConfig}, given to the context at start-up, not a
 * Micronaut property) turn the admission webhook on.
 */
public final class WebhookEnabled implements Condition {

    @Override
    public boolean matches(ConditionContext context) {
        return context.getBean(OperatorConfig.class).webhook().enabled();
    }
}
