package dev.seldonj.engine.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seldonj.api.model.Parameter;
import dev.seldonj.api.model.ParameterType;
import dev.seldonj.engine.client.builtin.EpsilonGreedy;
import dev.seldonj.engine.client.builtin.ThompsonSampling;
import dev.seldonj.engine.message.FeedbackMessage;
import io.seldon.protos.PredictionProtos.Feedback;
import io.seldon.protos.PredictionProtos.Meta;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class BanditRoutersTest {

    private static Parameter param(String name, String value, ParameterType type) {
        Parameter p = new Parameter();
        p.setName(name);
        p.setValue(value);
        p.setType(type);
        return p;
    }

    private static FeedbackMessage reward(String node, int branch, float reward) {
        return FeedbackMessage.of(Feedback.newBuilder()
                .setReward(reward)
                .setResponse(
                        SeldonMessage.newBuilder().setMeta(Meta.newBuilder().putRouting(node, branch)))
                .build());
    }

    private static int route(ComponentClient c) {
        return c.route(null, null).join();
    }

    @Test
    void epsilonGreedyExploresWithProbabilityEpsilonAndOtherwiseExploits() {
        EpsilonGreedy eg = new EpsilonGreedy(
                "eg", List.of(param("epsilon", "0.2", ParameterType.FLOAT), param("seed", "7", ParameterType.INT)), 3);
        eg.sendFeedback(reward("eg", 2, 1), null).join();
        eg.sendFeedback(reward("eg", 0, 0), null).join();

        int exploit = 0;
        for (int i = 0; i < 1000; i++) {
            exploit += route(eg) == 2 ? 1 : 0;
        }
        // 80% exploit plus a third of the 20% exploration: about 867 of 1000
        assertThat(exploit).isBetween(820, 910);
        assertThat(eg.means()).containsExactly(0, 0, 1);
    }

    @Test
    void feedbackWithoutThisRoutersBranchTeachesNothing() {
        EpsilonGreedy eg = new EpsilonGreedy("eg", List.of(param("epsilon", "0", ParameterType.FLOAT)), 2);
        eg.sendFeedback(reward("other", 1, 1), null).join();
        eg.sendFeedback(reward("eg", 7, 1), null).join();
        assertThat(eg.means()).containsExactly(0, 0);
        assertThat(route(eg)).isZero();
    }

    @Test
    void thompsonSamplingIsReproducibleWithASeedAndFollowsTheRewards() {
        ThompsonSampling a = new ThompsonSampling("ts", List.of(param("seed", "3", ParameterType.INT)), 2);
        ThompsonSampling b = new ThompsonSampling("ts", List.of(param("seed", "3", ParameterType.INT)), 2);
        for (int i = 0; i < 20; i++) {
            assertThat(route(a)).isEqualTo(route(b));
        }
        for (int i = 0; i < 50; i++) {
            a.sendFeedback(reward("ts", 0, 0.1f), null).join();
            a.sendFeedback(reward("ts", 1, 0.9f), null).join();
        }
        int toOne = 0;
        for (int i = 0; i < 200; i++) {
            toOne += route(a);
        }
        assertThat(toOne).isGreaterThan(195);
    }
}
