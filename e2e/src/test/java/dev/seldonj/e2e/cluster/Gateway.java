package dev.seldonj.e2e.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.SeldonGrpc;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Requests to the test cluster's Emissary-style gateway, with Ambassador's path and header scheme. */
public final class Gateway {

    /** The gateway's port (ci/cluster/versions.sh GATEWAY_PORT). */
    public static final int PORT = Integer.parseInt(System.getenv().getOrDefault("GATEWAY_PORT", "8003"));

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Gateway() {}

    /** POST /seldon/{namespace}/{name}/api/v1.0/predictions. */
    public static HttpResponse<String> predict(String namespace, String name, String json) {
        return post("/seldon/" + namespace + "/" + name + "/api/v1.0/predictions", json);
    }

    public static HttpResponse<String> post(String path, String json) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + path))
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(json))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("POST " + path + " on the gateway: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** seldon.protos.Seldon/Predict routed by the {@code seldon} and {@code namespace} headers. */
    public static SeldonMessage predictGrpc(String namespace, String name, SeldonMessage request) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("seldon", Metadata.ASCII_STRING_MARSHALLER), name);
        headers.put(Metadata.Key.of("namespace", Metadata.ASCII_STRING_MARSHALLER), namespace);
        ManagedChannel channel =
                NettyChannelBuilder.forAddress("127.0.0.1", PORT).usePlaintext().build();
        try {
            return SeldonGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .predict(request);
        } finally {
            channel.shutdownNow();
        }
    }

    /** The index of the largest number of a JSON array (a row of class probabilities). */
    public static int argmax(JsonNode row) {
        int best = 0;
        for (int i = 1; i < row.size(); i++) {
            if (row.get(i).asDouble() > row.get(best).asDouble()) {
                best = i;
            }
        }
        return best;
    }
}
