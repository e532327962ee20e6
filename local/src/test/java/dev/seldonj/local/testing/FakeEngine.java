package dev.seldonj.local.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Value;
import com.sun.net.httpserver.HttpServer;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.seldon.protos.PredictionProtos.Meta;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.SeldonGrpc;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A test "image" for {@code seldonj/engine}: takes the executor's flags and {@code ENGINE_PREDICTOR}
 * and uses them as the real engine does. {@code /ready} is 200 only when every graph node's endpoint
 * accepts a connection (so it proves the runner's rewriting), a prediction is passed through every
 * node in graph order, and gRPC {@code Seldon/Predict} answers with its predictor's name.
 */
public final class FakeEngine {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int httpPort = Integer.parseInt(flag(args, "--http_port"));
        int grpcPort = Integer.parseInt(flag(args, "--grpc_port"));
        String predictor = flag(args, "--predictor");
        JsonNode spec = JSON.readTree(Base64.getDecoder().decode(System.getenv("ENGINE_PREDICTOR")));
        List<JsonNode> endpoints = new ArrayList<>();
        collect(spec.get("graph"), endpoints);
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        // gRPC first: readiness is probed on HTTP only, so the gRPC port must be serving by then.
        Server grpc = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", grpcPort))
                .addService(new SeldonGrpc.SeldonImplBase() {
                    @Override
                    public void predict(SeldonMessage request, StreamObserver<SeldonMessage> response) {
                        response.onNext(request.toBuilder()
                                .setMeta(Meta.newBuilder()
                                        .putTags(
                                                "predictor",
                                                Value.newBuilder()
                                                        .setStringValue(predictor)
                                                        .build()))
                                .build());
                        response.onCompleted();
                    }
                })
                .build()
                .start();
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", httpPort), 16);
        http.createContext("/ready", exchange -> {
            boolean ready = endpoints.stream().allMatch(FakeEngine::reachable);
            exchange.sendResponseHeaders(ready ? 200 : 503, -1);
            exchange.close();
        });
        http.createContext("/api/v1.0/predictions", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            try {
                for (JsonNode endpoint : endpoints) {
                    URI uri =
                            URI.create("http://" + endpoint.get("service_host").asText() + ":"
                                    + endpoint.get("httpPort").asInt() + "/predict");
                    body = client.send(
                                    HttpRequest.newBuilder(uri)
                                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                            .header("Content-Type", "application/json")
                                            .build(),
                                    HttpResponse.BodyHandlers.ofByteArray())
                            .body();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("X-Predictor", predictor);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();

        System.out.println("engine " + predictor + " on " + httpPort + "/" + grpcPort);
        grpc.awaitTermination();
    }

    private static void collect(JsonNode node, List<JsonNode> endpoints) {
        if (node.has("endpoint")) {
            endpoints.add(node.get("endpoint"));
        }
        node.path("children").forEach(child -> collect(child, endpoints));
    }

    private static boolean reachable(JsonNode endpoint) {
        try (Socket socket = new Socket(
                endpoint.get("service_host").asText(),
                endpoint.get("service_port").asInt())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String flag(String[] args, String name) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        throw new IllegalArgumentException("missing " + name);
    }
}
