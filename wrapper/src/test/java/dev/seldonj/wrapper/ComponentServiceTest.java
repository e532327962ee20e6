package dev.seldonj.wrapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Value;
import dev.seldonj.api.protocol.SeldonJson;
import io.seldon.protos.PredictionProtos.Metric;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.PredictionProtos.SeldonMessageList;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComponentServiceTest {

    /** Echoes the input, reports a counter and a tag, and adds a runtime tag in its answer. */
    static final class Echo implements SeldonComponent {
        @Override
        public SeldonMessage predict(SeldonMessage request) {
            SeldonMessage.Builder b = request.toBuilder();
            b.getMetaBuilder()
                    .clear()
                    .putTags("runtime", Value.newBuilder().setBoolValue(true).build())
                    .addMetrics(Metric.newBuilder()
                            .setKey("echo_timer")
                            .setType(Metric.MetricType.TIMER)
                            .setValue(20f));
            return b.build();
        }

        @Override
        public List<Metric> metrics() {
            return List.of(Metric.newBuilder()
                    .setKey("echo_calls")
                    .setType(Metric.MetricType.COUNTER)
                    .setValue(1f)
                    .build());
        }

        @Override
        public Map<String, Value> tags() {
            return Map.of("model", Value.newBuilder().setStringValue("echo").build());
        }

        @Override
        public SeldonMessage aggregate(SeldonMessageList request) {
            return request.getSeldonMessages(0).toBuilder().clearMeta().build();
        }
    }

    private static ComponentService service(WrapperConfig config, CustomMetrics metrics) {
        return new ComponentService(new Echo(), config, metrics);
    }

    @Test
    void finishesMetaLikeThePythonWrapper() {
        WrapperConfig config = WrapperConfig.ephemeral().withUnit("classifier", "seldonio/echo:1.0");
        ComponentService s = service(config, new CustomMetrics(config));
        SeldonMessage answer = s.predict(SeldonJson.parseMessage(
                "{\"meta\":{\"puid\":\"p1\",\"tags\":{\"from\":\"client\"},\"requestPath\":{\"t\":\"img:1\"}},"
                        + "\"data\":{\"ndarray\":[[1]]}}"));
        assertThat(answer.getMeta().getPuid()).isEqualTo("p1");
        assertThat(answer.getMeta().getTagsMap()).containsOnlyKeys("from", "model", "runtime");
        assertThat(answer.getMeta().getRequestPathMap())
                .containsExactlyInAnyOrderEntriesOf(Map.of("classifier", "seldonio/echo:1.0", "t", "img:1"));
        assertThat(answer.getMeta().getMetricsList())
                .as("kept out of the answer by default")
                .isEmpty();
    }

    @Test
    void customMetricsAreRecordedAndOptionallyReturned() throws Exception {
        WrapperConfig config = WrapperConfig.ephemeral()
                .withUnit("classifier", "seldonio/echo:1.0")
                .withMetricsInResponse(true);
        CustomMetrics metrics = new CustomMetrics(config);
        ComponentService s = service(config, metrics);
        SeldonMessage request = SeldonJson.parseMessage("{\"data\":{\"ndarray\":[[1]]}}");
        s.predict(request);
        SeldonMessage answer = s.predict(request);
        assertThat(answer.getMeta().getMetricsList())
                .extracting(Metric::getKey)
                .containsExactly("echo_calls", "echo_timer");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.write(out);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text)
                .containsPattern(
                        "echo_calls_total\\{[^}]*method=\"predict\"[^}]*model_name=\"classifier\"[^}]*\\} 2\\.0");
        assertThat(text).contains("echo_timer_count{").contains("echo_timer_sum{");
        assertThat(text).containsPattern("echo_timer_bucket\\{[^}]*le=\"0\\.0[0-9]*\"[^}]*\\} 0");
    }

    @Test
    void feedbackRewardsAreCounted() throws Exception {
        WrapperConfig config = WrapperConfig.ephemeral();
        CustomMetrics metrics = new CustomMetrics(config);
        ComponentService s = service(config, metrics);
        s.sendFeedback(SeldonJson.parseFeedback("{\"request\":{\"data\":{\"ndarray\":[[1]]}},\"reward\":0.5}"));
        s.sendFeedback(SeldonJson.parseFeedback("{\"request\":{\"data\":{\"ndarray\":[[1]]}},\"reward\":1}"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.write(out);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).containsPattern("seldon_api_model_feedback_total\\{[^}]*\\} 2\\.0");
        assertThat(text).containsPattern("seldon_api_model_feedback_reward_total\\{[^}]*\\} 1\\.5");
    }

    @Test
    void aggregateMergesTheChildrensMeta() {
        WrapperConfig config = WrapperConfig.ephemeral();
        ComponentService s = service(config, new CustomMetrics(config));
        SeldonMessage answer = s.aggregate(
                SeldonJson.parseMessageList(
                        "[{\"meta\":{\"puid\":\"p\",\"requestPath\":{\"a\":\"i:1\"},\"tags\":{\"x\":1}},\"data\":{\"ndarray\":[[1]]}},"
                                + "{\"meta\":{\"requestPath\":{\"b\":\"i:2\"},\"tags\":{\"y\":2}},\"data\":{\"ndarray\":[[2]]}}]"));
        assertThat(answer.getMeta().getRequestPathMap()).containsOnlyKeys("a", "b");
        assertThat(answer.getMeta().getTagsMap()).containsKeys("x", "y", "model");
        assertThat(answer.getMeta().getPuid()).isEqualTo("p");
        assertThatThrownBy(() -> s.aggregate(SeldonMessageList.getDefaultInstance()))
                .hasMessage("aggregate needs at least one message, got none");
    }

    @Test
    void failuresCarryTheirHttpStatusAndReason() {
        WrapperConfig config = WrapperConfig.ephemeral();
        ComponentService s = new ComponentService(
                new SeldonComponent() {
                    @Override
                    public SeldonMessage predict(SeldonMessage request) {
                        throw new IllegalStateException("model not loaded");
                    }
                },
                config,
                new CustomMetrics(config));
        assertThatThrownBy(() -> s.predict(SeldonMessage.getDefaultInstance()))
                .isInstanceOfSatisfying(SeldonComponentException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(500);
                    assertThat(e.reason()).isEqualTo("MICROSERVICE_INTERNAL_ERROR");
                    assertThat(e.getMessage()).isEqualTo("model not loaded");
                });
        assertThatThrownBy(() -> s.route(SeldonMessage.getDefaultInstance()))
                .hasMessage("route is not implemented by this component");
    }
}
