package dev.seldonj.compat;

import dev.seldonj.api.protocol.SeldonJson;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP calls on a component's internal REST API, as the orchestrator makes them. */
final class Calls {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Calls() {}

    static HttpResponse<String> post(String endpoint, String path, String json) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://" + endpoint + path))
                            .header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.ofString(json))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("POST " + endpoint + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static HttpResponse<String> get(String endpoint, String path) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://" + endpoint + path))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + endpoint + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** POSTs and parses the 200 answer (numbers normalised as protobuf holds them). */
    static SeldonMessage message(String endpoint, String path, String json) {
        HttpResponse<String> r = post(endpoint, path, json);
        if (r.statusCode() != 200) {
            throw new AssertionError("POST " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return SeldonJson.parseMessage(r.body());
    }
}
