package dev.seldonj.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** CloudEvents attributes and cross-origin headers on the engine's answers, as Seldon's executor sets them. */
class ResponseHeadersIT {

    private final Fixtures fixtures = new Fixtures();

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    @Test
    void aCloudEventRequestGetsCloudEventAttributesWithThePuidAsId() throws Exception {
        RestComponent model = fixtures.rest("model").echoing("/predict");
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("{name: model, type: MODEL}").rest(model));

        HttpResponse<String> res = engine.predict(
                "{\"data\":{\"ndarray\":[1]}}",
                "Ce-Specversion",
                "1.0",
                "Ce-Id",
                "client-event",
                "Ce-Type",
                "x",
                "Ce-Source",
                "y");

        var h = res.headers();
        assertThat(h.firstValue("Ce-Id")).isEqualTo(h.firstValue("Seldon-Puid"));
        assertThat(h.firstValue("Ce-Specversion")).contains("0.3");
        assertThat(h.firstValue("Ce-Path")).contains("/api/v1.0/predictions");
        assertThat(h.firstValue("Ce-Type")).contains("seldon.test-sdep.test-ns.response");
        assertThat(h.firstValue("Ce-Source")).contains("seldon.test-sdep");

        HttpResponse<String> given =
                engine.send(HttpRequest.newBuilder(URI.create(engine.url("/api/v1.0/predictions?x=1")))
                        .header("Ce-Specversion", "1.0")
                        .header("Seldon-Puid", "p-7")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("[bad"))
                        .build());
        assertThat(given.statusCode()).isEqualTo(400);
        assertThat(given.headers().firstValue("Ce-Id")).contains("p-7");
        assertThat(given.headers().firstValue("Ce-Path")).contains("/api/v1.0/predictions");

        HttpResponse<String> plain = engine.predict("{\"data\":{\"ndarray\":[1]}}");
        assertThat(plain.headers().firstValue("Ce-Id")).isEmpty();
        assertThat(plain.headers().firstValue("Ce-Specversion")).isEmpty();
    }

    @Test
    void browsersGetCorsHeadersAndPreflightsAreAnsweredByTheEngine() throws Exception {
        RestComponent model = fixtures.rest("model").echoing("/predict");
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("{name: model, type: MODEL}").rest(model));

        HttpResponse<String> fromBrowser =
                engine.predict("{\"data\":{\"ndarray\":[1]}}", "Origin", "https://ui.example");
        assertThat(fromBrowser.headers().firstValue("Access-Control-Allow-Origin"))
                .contains("*");
        assertThat(fromBrowser.headers().firstValue("Access-Control-Allow-Headers"))
                .contains("Accept, Accept-Encoding, Authorization, Content-Length, Content-Type, X-CSRF-Token");

        HttpResponse<String> preflight =
                engine.send(HttpRequest.newBuilder(URI.create(engine.url("/api/v1.0/predictions")))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .header("Origin", "https://ui.example")
                        .header("Access-Control-Request-Method", "POST")
                        .build());
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods"))
                .contains("GET, OPTIONS, POST");
        assertThat(model.received()).hasSize(1);

        HttpResponse<String> noOrigin = engine.predict("{\"data\":{\"ndarray\":[1]}}");
        assertThat(noOrigin.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(noOrigin.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    }
}
