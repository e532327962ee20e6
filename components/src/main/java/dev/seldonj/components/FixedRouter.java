package dev.seldonj.components;

import dev.seldonj.wrapper.ComponentParameters;
import dev.seldonj.wrapper.Payloads;
import dev.seldonj.wrapper.SeldonComponent;
import io.seldon.protos.PredictionProtos.Feedback;
import io.seldon.protos.PredictionProtos.Metric;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import java.util.List;

/**
 * A router that always sends requests to child {@code child} (INT parameter, default 0; -1 means all
 * children). It keeps the reward of the feedback it receives as the gauge {@code router_last_reward},
 * so the feedback path through a graph can be observed.
 */
public final class FixedRouter implements SeldonComponent {

    private final int child;
    private volatile float lastReward;

    public FixedRouter(ComponentParameters parameters) {
        this.child = parameters.getInt("child", 0);
        if (child < -1) {
            throw new IllegalArgumentException(
                    "parameter child must be -1 (all children) or a child index, got " + child);
        }
    }

    @Override
    public SeldonMessage route(SeldonMessage request) {
        return Payloads.route(request, child);
    }

    @Override
    public SeldonMessage sendFeedback(Feedback feedback) {
        lastReward = feedback.getReward();
        return SeldonComponent.super.sendFeedback(feedback);
    }

    @Override
    public List<Metric> metrics() {
        return List.of(Metric.newBuilder()
                .setKey("router_last_reward")
                .setType(Metric.MetricType.GAUGE)
                .setValue(lastReward)
                .build());
    }
}
