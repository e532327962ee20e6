package dev.seldonj.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seldonj.engine.it.RestComponent.Answer;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every error path: the client gets the right status and a body saying what went wrong; the engine keeps serving. */
class ErrorsIT {

    private static RestComponent model;
    private static EngineFixture engine;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        model = new RestComponent("model").echoing("/predict");
        engine = EngineFixture.start(new EngineFixture.Spec("{name: model, type: MODEL}")
                .rest(model)
                .annotation("seldon.io/rest-timeout", "300")
                .annotation("seldon.io/rest-max-body-size", "16384"));
    }

    @AfterAll
    static void stop() {
        engine.close();
        model.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        model.echoing("/predict");
        for (AutoCloseable c : open) {
            c.close();
        }
        assertThat(engine.predict("{\"data\":{\"ndarray\":[1]}}").statusCode())
                .as("engine still serves")
                .isEqualTo(200);
    }

    static Stream<String> badRequests() throws Exception {
        return expected().stringPropertyNames().stream().sorted();
    }

    private static Properties expected() throws Exception {
        Properties p = new Properties();
        try (InputStream in = ErrorsIT.class.getResourceAsStream("/bad-requests/expected.properties")) {
            p.load(in);
        }
        return p;
    }

    @ParameterizedTest
    @MethodSource("badRequests")
    void malformedRequestIs400WithASeldonStatusNamingTheProblem(String file) throws Exception {
        byte[] body = Files.readAllBytes(
                Path.of(ErrorsIT.class.getResource("/bad-requests/" + file).toURI()));
        HttpResponse<String> res = engine.send(HttpRequest.newBuilder(URI.create(engine.url("/api/v1.0/predictions")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());

        assertThat(res.statusCode()).isEqualTo(400);
        JsonNode status = Messages.parse(res.body()).get("status");
        assertThat(status.get("status").asText()).isEqualTo("FAILURE");
        assertThat(status.get("code").asInt()).isEqualTo(400);
        assertThat(status.get("reason").asText()).isEqualTo("ENGINE_INVALID_JSON");
        assertThat(status.get("info").asText()).contains(expected().getProperty(file));
        assertThat(res.body()).doesNotContain("at dev.").doesNotContain("Exception");
    }

    @Test
    void everyBadRequestFileHasAnExpectation() throws Exception {
        Path dir = Path.of(ErrorsIT.class
                        .getResource("/bad-requests/expected.properties")
                        .toURI())
                .getParent();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json")))
                    .containsExactlyInAnyOrderElementsOf(expected().stringPropertyNames());
        }
    }

    @Test
    void componentClientAndServerErrorsPassThroughUnchanged() {
        model.on(
                "/predict",
                r -> new Answer(
                        422,
                        "{\"status\":{\"code\":-1,\"info\":\"bad features\","
                                + "\"reason\":\"MICROSERVICE_BAD_DATA\",\"status\":1}}",
                        "application/json"));
        HttpResponse<String> res = engine.predict("{\"data\":{\"ndarray\":[1]}}");
        assertThat(res.statusCode()).isEqualTo(422);
        assertThat(res.body()).contains("MICROSERVICE_BAD_DATA");
        assertThat(res.headers().firstValue("Content-Type")).contains("application/json");

        model.on("/predict", r -> new Answer(500, "boom", "text/plain"));
        HttpResponse<String> five = engine.predict("{\"data\":{\"ndarray\":[1]}}");
        assertThat(five.statusCode()).isEqualTo(500);
        assertThat(five.body()).isEqualTo("boom");
    }

    @Test
    void componentThatDoesNotAnswerInTimeIs504NamingTheNode() {
        model.on("/predict", r -> {
            try {
                model.release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Answer.json("{}");
        });
        HttpResponse<String> res = engine.predict("{\"data\":{\"ndarray\":[1]}}");

        assertThat(res.statusCode()).isEqualTo(504);
        assertThat(Messages.parse(res.body()).at("/status/info").asText())
                .isEqualTo("node 'model' did not answer POST /predict within 300 ms");
    }

    @Test
    void refusedConnectionIs503NamingTheNode() throws Exception {
        int free;
        try (var s = new ServerSocket(0)) {
            free = s.getLocalPort();
        }
        EngineFixture down =
                EngineFixture.start(new EngineFixture.Spec("{name: gone, type: MODEL}").container("gone", free, 0));
        open.add(down);

        HttpResponse<String> res = down.predict("{\"data\":{\"ndarray\":[1]}}");

        assertThat(res.statusCode()).isEqualTo(503);
        assertThat(Messages.parse(res.body()).at("/status/info").asText())
                .startsWith("node 'gone' is unavailable at localhost:" + free);
        assertThat(down.get("/ready").statusCode()).isEqualTo(503);
        assertThat(down.get("/ready").body()).contains("node 'gone' does not accept connections");
    }

    @Test
    void componentAnsweringSomethingThatIsNotASeldonMessageIs500NamingTheNode() {
        model.on("/predict", r -> new Answer(200, "not json", "text/plain"));
        HttpResponse<String> res = engine.predict("{\"data\":{\"ndarray\":[1]}}");

        assertThat(res.statusCode()).isEqualTo(500);
        assertThat(res.body()).contains("node 'model' answered an invalid SeldonMessage");
    }

    @Test
    void invalidRouteAnswerIs500NamingTheRouter() throws Exception {
        RestComponent router = new RestComponent("router").on("/route", r -> Answer.json("{\"strData\":\"left\"}"));
        open.add(router);
        EngineFixture routed = EngineFixture.start(new EngineFixture.Spec(
                        "{name: router, type: ROUTER, children: [{name: a, implementation: SIMPLE_MODEL}]}")
                .rest(router));
        open.add(0, routed);

        HttpResponse<String> res = routed.predict("{\"data\":{\"ndarray\":[1]}}");
        assertThat(res.statusCode()).isEqualTo(500);
        assertThat(res.body()).contains("router 'router' answered an invalid route");

        router.on("/route", r -> Answer.json(Messages.route(3)));
        HttpResponse<String> outOfRange = routed.predict("{\"data\":{\"ndarray\":[1]}}");
        assertThat(outOfRange.statusCode()).isEqualTo(500);
        assertThat(outOfRange.body())
                .contains("router 'router' chose branch 3 but has 1 children")
                .contains("INVALID_ROUTING");
    }

    @Test
    void unknownPathWrongMethodTooLargeAndBadFeedback() {
        assertThat(engine.get("/api/v1.0/nothing").statusCode()).isEqualTo(404);
        HttpResponse<String> get = engine.get("/api/v1.0/predictions");
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.body()).contains("use POST");
        String big = "{\"strData\":\"" + "x".repeat(20000) + "\"}";
        assertThat(engine.predict(big).statusCode()).isEqualTo(413);
        HttpResponse<String> fb = engine.post("/api/v1.0/feedback", "{\"reward\":\"lots\"}");
        assertThat(fb.statusCode()).isEqualTo(400);
        assertThat(fb.body()).contains("invalid feedback request: reward: expected a number, got string");
    }
}
