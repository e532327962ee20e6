package dev.seldonj.controller.app;

import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Liveness;
import jakarta.inject.Singleton;
import java.util.Map;

/** {@code /health} is DOWN when an informer of the operator stopped watching. */
@Singleton
@Liveness
@Requires(beans = OperatorRunner.class)
public class OperatorHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private final OperatorRunner runner;

    public OperatorHealthIndicator(OperatorRunner runner) {
        this.runner = runner;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        boolean healthy = runner.healthy();
        healthStatus = healthy ? HealthStatus.UP : HealthStatus.DOWN;
        return Map.of("informersHealthy", healthy);
    }

    @Override
    protected String getName() {
        return "operator";
    }
}
