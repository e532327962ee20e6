package dev.seldonj.components;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seldonj.api.protocol.SeldonJson;
import dev.seldonj.wrapper.ComponentParameters;
import dev.seldonj.wrapper.SeldonComponentException;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import org.junit.jupiter.api.Test;

class ComponentsTest {

    private static SeldonMessage msg(String json) {
        return SeldonJson.parseMessage(json);
    }

    @Test
    void mockClassifierGivesTheOriginalsDocumentedAnswers() {
        MockClassifier c = new MockClassifier(ComponentParameters.empty());
        assertThat(SeldonJson.print(c.predict(msg("{\"data\":{\"ndarray\":[[1.0,2.0,5.0]]}}"))))
                .isEqualTo("{\"data\":{\"names\":[\"proba\"],\"ndarray\":[[0.43782349911420193]]}}");
        assertThat(c.predict(msg("{\"data\":{\"ndarray\":[[1,2]]}}"))
                        .getData()
                        .getNdarray()
                        .getValues(0)
                        .getListValue()
                        .getValues(0)
                        .getNumberValue())
                .isEqualTo(0.1951846770138402);
        SeldonMessage tensor = c.predict(msg("{\"data\":{\"tensor\":{\"shape\":[2,3],\"values\":[1,2,5,1,2,5]}}}"));
        assertThat(tensor.getData().getTensor().getShapeList()).containsExactly(2, 1);
        assertThat(tensor.getData().getTensor().getValuesList())
                .containsExactly(0.43782349911420193, 0.43782349911420193);
    }

    @Test
    void mockClassifierMatchesNumpyOnLongRowsAndHonoursIntValue() {
        StringBuilder row = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            row.append(i == 0 ? "" : ",").append(0.1 * i);
        }
        SeldonMessage answer = new MockClassifier(ComponentParameters.empty())
                .predict(msg("{\"data\":{\"ndarray\":[[" + row + "]]}}"));
        // numpy: 1/(1+exp(-(np.array([0.1*i for i in range(20)]).mean() - 35/12)))
        assertThat(answer.getData()
                        .getNdarray()
                        .getValues(0)
                        .getListValue()
                        .getValues(0)
                        .getNumberValue())
                .isEqualTo(0.12274737053992174);
        double shifted = new MockClassifier(ComponentParameters.of("intValue", "1", "INT"))
                .predict(msg("{\"data\":{\"ndarray\":[[1.0,2.0,5.0]]}}"))
                .getData()
                .getNdarray()
                .getValues(0)
                .getListValue()
                .getValues(0)
                .getNumberValue();
        assertThat(shifted).isEqualTo(1.0 / (1.0 + Math.exp(-(8.0 / 3.0 - 35.0 / 12.0 - 1))));
    }

    @Test
    void mockClassifierRejectsOneDimensionalInputAsTheOriginalDoes() {
        assertThatThrownBy(() ->
                        new MockClassifier(ComponentParameters.empty()).predict(msg("{\"data\":{\"ndarray\":[1,2]}}")))
                .hasMessage("Incorrect shape");
    }

    @Test
    void numpyPairwiseSummation() {
        double[] a = new double[300];
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.sin(i) * 1000 + i / 7.0;
        }
        // np.array([math.sin(i)*1000+i/7 for i in range(300)]).mean(); a plain loop gives ...488
        assertThat(NumpyMath.mean(a)).isEqualTo(26.141628110300502);
    }

    @Test
    void identityModelReturnsItsInputWithPythonsNames() {
        SeldonMessage answer = new IdentityModel()
                .predict(
                        msg(
                                "{\"meta\":{\"puid\":\"x\"},\"data\":{\"names\":[\"a\",\"b\"],\"tensor\":{\"shape\":[2,2],\"values\":[0,0,1,1]}}}"));
        assertThat(SeldonJson.print(answer))
                .isEqualTo(
                        "{\"data\":{\"names\":[\"t:0\",\"t:1\"],\"tensor\":{\"shape\":[2,2],\"values\":[0.0,0.0,1.0,1.0]}}}");
        assertThat(new IdentityModel().predict(msg("{\"strData\":\"hello\"}")).getStrData())
                .isEqualTo("hello");
    }

    @Test
    void modelWithMetricsPassesItsInputAndReportsACounterAGaugeAndATimer() {
        SeldonMessage answer = new ModelWithMetrics().predict(msg("{\"data\":{\"ndarray\":[[1,2],[3,4],[5,6]]}}"));
        assertThat(SeldonJson.print(answer.toBuilder().clearMeta().build()))
                .isEqualTo("{\"data\":{\"names\":[\"t:0\",\"t:1\"],\"ndarray\":[[1.0,2.0],[3.0,4.0],[5.0,6.0]]}}");
        assertThat(answer.getMeta().getMetricsList())
                .extracting(m -> m.getKey() + ":" + m.getType())
                .containsExactly("model_predictions:COUNTER", "model_last_batch_size:GAUGE", "model_predict_ms:TIMER");
        assertThat(answer.getMeta().getMetrics(0).getValue()).isEqualTo(1f);
        assertThat(answer.getMeta().getMetrics(1).getValue()).isEqualTo(3f);
        assertThat(answer.getMeta().getMetrics(2).getValue()).isGreaterThanOrEqualTo(0f);
        SeldonMessage tensor =
                new ModelWithMetrics().predict(msg("{\"data\":{\"tensor\":{\"shape\":[2,1],\"values\":[1,2]}}}"));
        assertThat(tensor.getMeta().getMetrics(1).getValue()).isEqualTo(2f);
        assertThat(new ModelWithMetrics()
                        .predict(msg("{\"strData\":\"x\"}"))
                        .getMeta()
                        .getMetrics(1)
                        .getValue())
                .isEqualTo(1f);
    }

    @Test
    void meanTransformerScalesToTheUnitInterval() {
        SeldonMessage answer = new MeanTransformer().transformInput(msg("{\"data\":{\"ndarray\":[[1,2],[3,5]]}}"));
        assertThat(SeldonJson.print(answer))
                .isEqualTo("{\"data\":{\"names\":[\"t:0\",\"t:1\"],\"ndarray\":[[0.0,0.25],[0.5,1.0]]}}");
        assertThat(new MeanTransformer()
                        .transformInput(msg("{\"data\":{\"ndarray\":[[2,2]]}}"))
                        .getData()
                        .getNdarray()
                        .getValues(0)
                        .getListValue()
                        .getValues(1)
                        .getNumberValue())
                .isZero();
    }

    @Test
    void routerCombinerAndOutputTransformer() {
        SeldonMessage routed = new FixedRouter(ComponentParameters.of("child", "1", "INT"))
                .route(msg("{\"data\":{\"ndarray\":[[9]]}}"));
        assertThat(SeldonJson.print(routed)).isEqualTo("{\"data\":{\"names\":[\"t:0\"],\"ndarray\":[[1.0]]}}");
        assertThatThrownBy(() -> new FixedRouter(ComponentParameters.of("child", "-3", "INT")))
                .hasMessageContaining("got -3");

        SeldonMessage averaged = new AverageCombiner()
                .aggregate(SeldonJson.parseMessageList(
                        "[{\"data\":{\"ndarray\":[[1,2]]}},{\"data\":{\"ndarray\":[[3,4]]}}]"));
        assertThat(SeldonJson.print(averaged))
                .isEqualTo("{\"data\":{\"names\":[\"t:0\",\"t:1\"],\"ndarray\":[[2.0,3.0]]}}");
        assertThatThrownBy(() -> new AverageCombiner()
                        .aggregate(SeldonJson.parseMessageList(
                                "[{\"data\":{\"ndarray\":[[1,2]]}},{\"data\":{\"ndarray\":[[3]]}}]")))
                .isInstanceOf(SeldonComponentException.class)
                .hasMessage("seldonMessages[1]: shape [1,1] differs from seldonMessages[0]'s [1,2]");

        SeldonMessage scaled = new ScaleOutputTransformer(ComponentParameters.empty())
                .transformOutput(msg("{\"data\":{\"names\":[\"proba\"],\"ndarray\":[[0.25]]}}"));
        assertThat(SeldonJson.print(scaled)).isEqualTo("{\"data\":{\"names\":[\"proba\"],\"ndarray\":[[25.0]]}}");
    }

    @Test
    void unknownComponentNamesAreListed() {
        assertThatThrownBy(() -> Components.create("mock", ComponentParameters.empty()))
                .hasMessage("unknown component \"mock\"; known: average-combiner, fixed-router, identity-model, "
                        + "mean-transformer, mock-classifier, model-with-metrics, scale-output-transformer");
    }
}
