package dev.seldonj.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seldonj.engine.it.RestComponent.Answer;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every node type over REST, with Seldon's call order and the meta the engine adds. */
class RestGraphIT {

    private final Fixtures fixtures = new Fixtures();

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    @Test
    void modelAnswersWithPuidRequestPathAndMergedTagsAndSeesThePayloadUnchanged() throws Exception {
        RestComponent model = fixtures.rest("model").echoing("/predict");
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("{name: model, type: MODEL}").rest(model));
        String body = "{\"meta\":{\"tags\":{\"client\":\"x\"}},\"data\":{\"names\":[\"a\"],\"ndarray\":[[1.5, 2]]}}";

        HttpResponse<String> res = engine.predict(body, "X-Custom", "hello");

        assertThat(res.statusCode()).isEqualTo(200);
        JsonNode answer = Messages.parse(res.body());
        String puid = res.headers().firstValue("Seldon-Puid").orElseThrow();
        assertThat(answer.at("/meta/puid").asText()).isEqualTo(puid);
        assertThat(answer.at("/meta/tags/client").asText()).isEqualTo("x");
        assertThat(answer.at("/meta/tags/model").asBoolean()).isTrue();
        assertThat(answer.at("/meta/requestPath/model").asText()).isEqualTo("test/model:1.0");
        assertThat(answer.at("/meta/routing").isObject()).isTrue();
        assertThat(answer.at("/data/ndarray/0/1").asInt()).isEqualTo(2);
        RestComponent.Received call = model.received("/predict").get(0);
        assertThat(call.body()).isEqualTo(body);
        assertThat(call.header("X-Custom")).isEqualTo("hello");
        assertThat(call.header("Seldon-Puid")).isEqualTo(puid);
        assertThat(call.header("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void puidFromTheHeaderOrTheRequestMetaIsKept() throws Exception {
        RestComponent model = fixtures.rest("model").echoing("/predict");
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("{name: model, type: MODEL}").rest(model));

        HttpResponse<String> byHeader = engine.predict("{\"data\":{\"ndarray\":[1]}}", "Seldon-Puid", "abc-123");
        assertThat(byHeader.headers().firstValue("Seldon-Puid")).contains("abc-123");
        assertThat(Messages.parse(byHeader.body()).at("/meta/puid").asText()).isEqualTo("abc-123");

        HttpResponse<String> byMeta = engine.predict("{\"meta\":{\"puid\":\"from-meta\"},\"data\":{\"ndarray\":[1]}}");
        assertThat(byMeta.headers().firstValue("Seldon-Puid")).contains("from-meta");
        assertThat(Messages.parse(byMeta.body()).at("/meta/puid").asText()).isEqualTo("from-meta");
    }

    @Test
    void transformerThenModelThenOutputTransformerRunInSeldonsOrder() throws Exception {
        RestComponent out = fixtures.rest("out").echoing("/transform-output");
        RestComponent in = fixtures.rest("in").echoing("/transform-input");
        RestComponent model = fixtures.rest("model").echoing("/predict");
        EngineFixture engine =
                fixtures.engine(new EngineFixture.Spec("""
        {name: out, type: OUTPUT_TRANSFORMER, children: [
          {name: in, type: TRANSFORMER, children: [{name: model, type: MODEL}]}]}""").rest(out).rest(in).rest(model));

        JsonNode answer =
                Messages.parse(engine.predict("{\"data\":{\"ndarray\":[1]}}").body());

        assertThat(answer.at("/meta/tags").fieldNames()).toIterable().containsExactlyInAnyOrder("in", "model", "out");
        assertThat(answer.at("/meta/requestPath").fieldNames()).toIterable().containsExactly("in", "model", "out");
        // each step received the previous step's output
        assertThat(Messages.parse(model.received("/predict").get(0).body())
                        .at("/meta/tags/in")
                        .asBoolean())
                .isTrue();
        assertThat(Messages.parse(out.received("/transform-output").get(0).body())
                        .at("/meta/tags/model")
                        .asBoolean())
                .isTrue();
        assertThat(in.received("/predict")).isEmpty();
    }

    @Test
    void routerSendsToTheChosenChildOnlyAndRecordsTheRouting() throws Exception {
        RestComponent router = fixtures.rest("router").on("/route", r -> Answer.json(Messages.route(1)));
        RestComponent a = fixtures.rest("a").echoing("/predict");
        RestComponent b = fixtures.rest("b").echoing("/predict");
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec(
                        "{name: router, type: ROUTER, children: [{name: a, type: MODEL}, {name: b, type: MODEL}]}")
                .rest(router)
                .rest(a)
                .rest(b));

        JsonNode answer =
                Messages.parse(engine.predict("{\"data\":{\"ndarray\":[1]}}").body());

        assertThat(answer.at("/meta/routing/router").asInt()).isEqualTo(1);
        assertThat(answer.at("/meta/tags/b").asBoolean()).isTrue();
        assertThat(a.received()).isEmpty();
        assertThat(b.received("/predict")).hasSize(1);
        assertThat(answer.at("/meta/requestPath").fieldNames()).toIterable().containsExactly("router", "b");
    }

    @Test
    void routeMinusTwoStopsAndMinusOneFansOutToEveryChild() throws Exception {
        RestComponent router = fixtures.rest("router");
        RestComponent a = fixtures.rest("a").echoing("/predict");
        RestComponent b = fixtures.rest("b").echoing("/predict");
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec(
                        "{name: router, type: ROUTER, children: [{name: a, type: MODEL}, {name: b, type: MODEL}]}")
                .rest(router)
                .rest(a)
                .rest(b));

        router.on("/route", r -> Answer.json(Messages.route(-2)));
        JsonNode stopped = Messages.parse(engine.predict("{\"strData\":\"hi\"}").body());
        assertThat(stopped.get("strData").asText()).isEqualTo("hi");
        assertThat(stopped.at("/meta/routing/router").asInt()).isEqualTo(-2);
        assertThat(a.received()).isEmpty();

        router.on("/route", r -> Answer.json(Messages.route(-1)));
        JsonNode all = Messages.parse(engine.predict("{\"strData\":\"hi\"}").body());
        assertThat(a.received("/predict")).hasSize(1);
        assertThat(b.received("/predict")).hasSize(1);
        assertThat(all.at("/meta/tags/a").asBoolean()).isTrue();
    }

    @Test
    void combinerAggregatesEveryChildAnswerAsAJsonArray() throws Exception {
        RestComponent combiner = fixtures.rest("combiner").on("/aggregate", r -> {
            JsonNode list = Messages.parse(r.body());
            return Answer.json("{\"jsonData\":{\"count\":" + list.size() + "}}");
        });
        RestComponent a = fixtures.rest("a").on("/predict", r -> Answer.json(Messages.values(1)));
        RestComponent b = fixtures.rest("b").on("/predict", r -> Answer.json(Messages.values(3)));
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec(
                        "{name: combiner, type: COMBINER, children: [{name: a, type: MODEL}, {name: b, type: MODEL}]}")
                .rest(combiner)
                .rest(a)
                .rest(b));

        JsonNode answer =
                Messages.parse(engine.predict("{\"data\":{\"ndarray\":[1]}}").body());

        assertThat(answer.at("/jsonData/count").asInt()).isEqualTo(2);
        JsonNode sent = Messages.parse(combiner.received("/aggregate").get(0).body());
        assertThat(sent.get(0).at("/data/tensor/values/0").asDouble()).isEqualTo(1);
        assertThat(sent.get(1).at("/data/tensor/values/0").asDouble()).isEqualTo(3);
        assertThat(answer.at("/meta/routing/combiner").asInt()).isEqualTo(-1);
    }

    @Test
    void unknownTypeNodeCallsOnlyItsMethods() throws Exception {
        RestComponent node = fixtures.rest("node").echoing("/transform-input", "/transform-output");
        EngineFixture engine = fixtures.engine(
                new EngineFixture.Spec("{name: node, type: UNKNOWN_TYPE, methods: [TRANSFORM_INPUT, TRANSFORM_OUTPUT]}")
                        .rest(node));

        assertThat(engine.predict("{\"data\":{\"ndarray\":[1]}}").statusCode()).isEqualTo(200);

        assertThat(node.received())
                .extracting(RestComponent.Received::path)
                .containsExactly("/transform-input", "/transform-output");
    }

    @Test
    void formEncodedClientAndFormEncodedComponent() throws Exception {
        RestComponent model = fixtures.rest("model").on("/predict", r -> {
            String json = URLDecoder.decode(r.body().substring("json=".length()), StandardCharsets.UTF_8);
            return Answer.json(Messages.tagged(json, "model"));
        });
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("{name: model, type: MODEL}")
                .rest(model)
                .annotation("seldon.io/rest-form-encoded-nodes", "model"));

        HttpResponse<String> res = engine.post(
                "/api/v0.1/predictions",
                EngineFixture.form(Map.of("json", "{\"data\":{\"ndarray\":[7]}}")),
                "Content-Type",
                "application/x-www-form-urlencoded");

        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(Messages.parse(res.body()).at("/data/ndarray/0").asInt()).isEqualTo(7);
        RestComponent.Received call = model.received("/predict").get(0);
        assertThat(call.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(call.body()).startsWith("json=");
    }

    @Test
    void jsonLabelledAsAFormIsReadAsJsonLikeCurlDashD() throws Exception {
        RestComponent model = fixtures.rest("model").echoing("/predict");
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("{name: model, type: MODEL}").rest(model));

        HttpResponse<String> res =
                engine.predict("{\"data\":{\"ndarray\":[3]}}", "Content-Type", "application/x-www-form-urlencoded");

        assertThat(res.statusCode()).isEqualTo(200);
    }

    @Test
    void feedbackFollowsTheRoutingOfThePrediction() throws Exception {
        RestComponent router = fixtures.rest("router")
                .on("/route", r -> Answer.json(Messages.route(0)))
                .on("/send-feedback", r -> Answer.json("{}"));
        RestComponent a = fixtures.rest("a").on("/send-feedback", r -> Answer.json("{\"jsonData\":\"thanks\"}"));
        RestComponent b = fixtures.rest("b").on("/send-feedback", r -> Answer.json("{}"));
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec(
                        "{name: router, type: ROUTER, children: [{name: a, type: MODEL}, {name: b, type: MODEL}]}")
                .rest(router)
                .rest(a)
                .rest(b));
        String feedback = "{\"request\":{\"data\":{\"ndarray\":[1]}},\"response\":{\"meta\":{\"puid\":\"p1\","
                + "\"routing\":{\"router\":1}},\"data\":{\"ndarray\":[2]}},\"reward\":1.0}";

        HttpResponse<String> res = engine.post("/api/v1.0/feedback", feedback);

        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("Seldon-Puid")).contains("p1");
        assertThat(router.received("/send-feedback")).hasSize(1);
        assertThat(a.received()).isEmpty();
        assertThat(b.received("/send-feedback")).hasSize(1);
        assertThat(Messages.parse(b.received("/send-feedback").get(0).body())
                        .get("reward")
                        .asDouble())
                .isEqualTo(1.0);
    }

    @Test
    void metadataCombinesEveryNode() throws Exception {
        RestComponent model = fixtures.rest("model")
                .on(
                        "/metadata",
                        r -> Answer.json(
                                "{\"name\":\"model\",\"versions\":[\"v1\"],\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1]}]}"));
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("{name: model, type: MODEL}").rest(model));

        JsonNode meta = Messages.parse(engine.get("/api/v1.0/metadata").body());

        assertThat(meta.get("name").asText()).isEqualTo("main");
        assertThat(meta.at("/models/model/versions/0").asText()).isEqualTo("v1");
        assertThat(meta.at("/inputs/0/name").asText()).isEqualTo("x");
    }

    @Test
    void liveReadyAndDocs() throws Exception {
        RestComponent model = fixtures.rest("model");
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("{name: model, type: MODEL}").rest(model));

        assertThat(engine.get("/live").statusCode()).isEqualTo(200);
        assertThat(engine.get("/ready").statusCode()).isEqualTo(200);
        HttpResponse<String> doc = engine.get("/api/v1.0/doc/");
        assertThat(doc.statusCode()).isEqualTo(200);
        assertThat(doc.body()).contains("swagger-ui");
        assertThat(engine.get("/api/v1.0/doc/seldon.json").body()).contains("/api/v1.0/predictions");
        assertThat(engine.get("/api/v1.0/doc/swagger-ui-bundle.js").statusCode())
                .isEqualTo(200);
    }
}
