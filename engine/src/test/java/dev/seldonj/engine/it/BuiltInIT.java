package dev.seldonj.engine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seldonj.engine.it.RestComponent.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The built-ins run inside the engine with no container; the bandits learn from feedback. */
class BuiltInIT {

    private final Fixtures fixtures = new Fixtures();

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    @Test
    void simpleModelAnswersSeldonsStubPrediction() {
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("{name: stub, implementation: SIMPLE_MODEL}"));

        JsonNode answer =
                Messages.parse(engine.predict("{\"data\":{\"ndarray\":[[1]]}}").body());

        assertThat(answer.at("/data/names/1").asText()).isEqualTo("class1");
        assertThat(answer.at("/data/tensor/values/1").asDouble()).isEqualTo(0.9);
        assertThat(answer.at("/meta/requestPath/stub").asText()).isEqualTo("SIMPLE_MODEL");
    }

    @Test
    void simpleRouterTakesTheFirstChild() {
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("""
        {name: r, implementation: SIMPLE_ROUTER, children: [
          {name: a, implementation: SIMPLE_MODEL}, {name: b, implementation: SIMPLE_MODEL}]}"""));

        JsonNode answer =
                Messages.parse(engine.predict("{\"data\":{\"ndarray\":[[1]]}}").body());

        assertThat(answer.at("/meta/routing/r").asInt()).isZero();
        assertThat(answer.at("/meta/requestPath").has("a")).isTrue();
        assertThat(answer.at("/meta/requestPath").has("b")).isFalse();
    }

    @Test
    void randomAbTestHonoursRatioA() throws Exception {
        RestComponent a = fixtures.rest("a").echoing("/predict");
        RestComponent b = fixtures.rest("b").echoing("/predict");
        String graph = """
        {name: ab, implementation: RANDOM_ABTEST, parameters: [{name: ratioA, value: "%s", type: FLOAT}],
         children: [{name: a, type: MODEL}, {name: b, type: MODEL}]}""";
        try (EngineFixture allA = EngineFixture.start(
                new EngineFixture.Spec(graph.formatted("1.0")).rest(a).rest(b))) {
            for (int i = 0; i < 5; i++) {
                assertThat(Messages.parse(allA.predict("{\"strData\":\"x\"}").body())
                                .at("/meta/routing/ab")
                                .asInt())
                        .isZero();
            }
        }
        try (EngineFixture allB = EngineFixture.start(
                new EngineFixture.Spec(graph.formatted("0")).rest(a).rest(b))) {
            for (int i = 0; i < 5; i++) {
                assertThat(Messages.parse(allB.predict("{\"strData\":\"x\"}").body())
                                .at("/meta/routing/ab")
                                .asInt())
                        .isEqualTo(1);
            }
        }
        assertThat(a.received()).hasSize(5);
        assertThat(b.received()).hasSize(5);
    }

    @Test
    void averageCombinerAveragesTensorsAndNdarrays() throws Exception {
        RestComponent a = fixtures.rest("a").on("/predict", r -> Answer.json(Messages.values(1, 2)));
        RestComponent b = fixtures.rest("b").on("/predict", r -> Answer.json(Messages.values(3, 6)));
        EngineFixture engine =
                fixtures.engine(new EngineFixture.Spec("""
        {name: avg, implementation: AVERAGE_COMBINER, children: [{name: a, type: MODEL}, {name: b, type: MODEL}]}""").rest(a).rest(b));

        JsonNode answer =
                Messages.parse(engine.predict("{\"data\":{\"ndarray\":[[1]]}}").body());

        assertThat(answer.at("/data/tensor/values/0").asDouble()).isEqualTo(2.0);
        assertThat(answer.at("/data/tensor/values/1").asDouble()).isEqualTo(4.0);
        assertThat(answer.at("/data/tensor/shape/1").asInt()).isEqualTo(2);

        a.on("/predict", r -> Answer.json("{\"data\":{\"names\":[\"p\"],\"ndarray\":[[1.0],[0.0]]}}"));
        b.on("/predict", r -> Answer.json("{\"data\":{\"names\":[\"p\"],\"ndarray\":[[0.0],[1.0]]}}"));
        JsonNode nd =
                Messages.parse(engine.predict("{\"data\":{\"ndarray\":[[1]]}}").body());
        assertThat(nd.at("/data/ndarray/0/0").asDouble()).isEqualTo(0.5);
        assertThat(nd.at("/data/ndarray/1/0").asDouble()).isEqualTo(0.5);
        assertThat(nd.at("/data/names/0").asText()).isEqualTo("p");

        b.on("/predict", r -> Answer.json(Messages.values(1, 2, 3)));
        var mismatch = engine.predict("{\"data\":{\"ndarray\":[[1]]}}");
        assertThat(mismatch.statusCode()).isEqualTo(500);
        assertThat(mismatch.body()).contains("combiner 'avg' cannot average");
    }

    @Test
    void epsilonGreedyExploitsTheBranchThatEarnedRewards() {
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("""
        {name: eg, implementation: EPSILON_GREEDY, parameters: [
           {name: n_branches, value: "2", type: INT}, {name: epsilon, value: "0", type: FLOAT}],
         children: [{name: a, implementation: SIMPLE_MODEL}, {name: b, implementation: SIMPLE_MODEL}]}"""));

        assertThat(routeOf(engine, "eg")).isZero();
        String feedback = "{\"response\":{\"meta\":{\"routing\":{\"eg\":1}}},\"reward\":1}";
        assertThat(engine.post("/api/v1.0/feedback", feedback).statusCode()).isEqualTo(200);

        for (int i = 0; i < 5; i++) {
            assertThat(routeOf(engine, "eg")).isEqualTo(1);
        }
    }

    @Test
    void thompsonSamplingLearnsTheRewardedBranch() {
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("""
        {name: ts, implementation: THOMPSON_SAMPLING, parameters: [{name: seed, value: "42", type: INT}],
         children: [{name: a, implementation: SIMPLE_MODEL}, {name: b, implementation: SIMPLE_MODEL}]}"""));
        for (int i = 0; i < 30; i++) {
            engine.post("/api/v1.0/feedback", "{\"response\":{\"meta\":{\"routing\":{\"ts\":0}}},\"reward\":0}");
            engine.post("/api/v1.0/feedback", "{\"response\":{\"meta\":{\"routing\":{\"ts\":1}}},\"reward\":1}");
        }

        int toB = 0;
        for (int i = 0; i < 20; i++) {
            toB += routeOf(engine, "ts");
        }
        assertThat(toB).isEqualTo(20);
    }

    @Test
    void badBuiltInParametersStopStartUpNamingTheNode() {
        assertThatThrownBy(() -> EngineFixture.start(new EngineFixture.Spec("""
        {name: eg, implementation: EPSILON_GREEDY, parameters: [{name: epsilon, value: "2", type: FLOAT}],
         children: [{name: a, implementation: SIMPLE_MODEL}]}""")))
                .hasMessageContaining("spec.predictors[0].graph.parameters: epsilon must be between 0 and 1");
    }

    private static int routeOf(EngineFixture engine, String node) {
        return Messages.parse(engine.predict("{\"data\":{\"ndarray\":[[1]]}}").body())
                .at("/meta/routing/" + node)
                .asInt();
    }
}
