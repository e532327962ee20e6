package dev.seldonj.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seldonj.engine.it.RestComponent.Answer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fixes the OpenAPI fuzzer asked for (docs/conformance.md), each pinned down on a socket: status flags
 * normalised, 405 with Allow, metrics and status checked in requests, no Seldon document on a v2 engine.
 */
class ApiContractIT {

    private final Fixtures fixtures = new Fixtures();

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    @Test
    void aComponentsNumericStatusFlagIsAnsweredAsTheDocumentedStringWithItsCodeAndInfoKept() throws Exception {
        RestComponent model = fixtures.rest("model")
                .on(
                        "/predict",
                        r -> Answer.json(
                                "{\"data\":{\"ndarray\":[1]},\"status\":{\"code\":200,\"info\":\"fine\",\"reason\":\"OK\",\"status\":0}}"));
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("{name: model, type: MODEL}").rest(model));

        JsonNode status = Messages.parse(
                        engine.predict("{\"data\":{\"ndarray\":[1]}}").body())
                .get("status");

        assertThat(status.toString())
                .isEqualTo("{\"code\":200,\"info\":\"fine\",\"reason\":\"OK\",\"status\":\"SUCCESS\"}");
        model.on("/predict", r -> Answer.json("{\"data\":{\"ndarray\":[1]},\"status\":{\"code\":7,\"status\":1}}"));
        assertThat(Messages.parse(engine.predict("{\"data\":{\"ndarray\":[1]}}").body())
                        .at("/status/status")
                        .asText())
                .isEqualTo("FAILURE");
    }

    @Test
    void methodsAnEndpointDoesNotServeAre405WithAllow() throws Exception {
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("{name: m, implementation: SIMPLE_MODEL}"));
        HttpClient http = HttpClient.newHttpClient();
        for (String path :
                new String[] {"/api/v1.0/metadata", "/live", "/ready", "/prometheus", "/api/v1.0/doc/seldon.json"}) {
            for (String method : new String[] {"TRACE", "DELETE", "PUT", "PATCH", "POST"}) {
                HttpResponse<String> res = http.send(
                        HttpRequest.newBuilder(URI.create(engine.url(path)))
                                .method(method, HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(res.statusCode()).as(method + " " + path).isEqualTo(405);
                assertThat(res.headers().firstValue("allow"))
                        .as(method + " " + path)
                        .hasValue("GET, HEAD, OPTIONS");
            }
        }
        HttpResponse<String> get = http.send(
                HttpRequest.newBuilder(URI.create(engine.url("/api/v1.0/predictions")))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("allow")).hasValue("POST, OPTIONS");
    }

    @Test
    void requestMetricsAndStatusAreCheckedAgainstTheirSchema() throws Exception {
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("{name: m, implementation: SIMPLE_MODEL}"));

        HttpResponse<String> nulls = engine.predict("{\"meta\":{\"metrics\":[null,null]},\"data\":{\"ndarray\":[1]}}");
        assertThat(nulls.statusCode()).isEqualTo(400);
        assertThat(nulls.body()).contains("meta.metrics[0]: expected an object");
        assertThat(engine.predict(
                                "{\"meta\":{\"metrics\":[{\"key\":\"k\",\"type\":\"SIZE\"}]},\"data\":{\"ndarray\":[1]}}")
                        .body())
                .contains("meta.metrics[0].type: expected one of COUNTER, GAUGE, TIMER");
        assertThat(engine.predict("{\"status\":{\"code\":\"x\"},\"data\":{\"ndarray\":[1]}}")
                        .body())
                .contains("status.code: expected an integer");
        HttpResponse<String> fine =
                engine.predict("{\"meta\":{\"metrics\":[{\"key\":\"k\",\"type\":\"GAUGE\",\"value\":2,"
                        + "\"tags\":{\"a\":\"b\"}}]},\"data\":{\"ndarray\":[1]}}");
        assertThat(fine.statusCode()).as(fine.body()).isEqualTo(200);
    }

    @Test
    void aV2EngineServesNoSeldonDocument() throws Exception {
        RestComponent model = fixtures.rest("model");
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("{name: model, type: MODEL}")
                .protocol("v2")
                .rest(model));
        assertThat(engine.get("/api/v1.0/doc/seldon.json").statusCode()).isEqualTo(404);
    }
}
