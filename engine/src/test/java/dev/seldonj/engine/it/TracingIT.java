package dev.seldonj.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.seldon.protos.PredictionProtos.DefaultData;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.PredictionProtos.Tensor;
import io.seldon.protos.SeldonGrpc;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tracing end to end: the engine exports to a real Jaeger over OTLP/HTTP, a three-node graph (output transformer
 * and transformer over REST, model over gRPC) yields one connected trace continuing the client's, and each
 * component receives its step's span as parent in traceparent plus uber-trace-id (default) or B3 headers.
 */
class TracingIT {

    private static final String GRAPH = """
      {name: out, type: OUTPUT_TRANSFORMER, endpoint: {type: REST}, children: [
        {name: transformer, type: TRANSFORMER, endpoint: {type: REST}, children: [
          {name: model, type: MODEL, endpoint: {type: GRPC}}]}]}""";
    private static final String BODY = "{\"data\":{\"ndarray\":[[1.0,2.0]]}}";

    private static JaegerProcess jaeger;

    @BeforeAll
    static void startJaeger() throws Exception {
        jaeger = JaegerProcess.start();
    }

    @AfterAll
    static void stopJaeger() throws Exception {
        if (jaeger != null) {
            jaeger.close();
        }
    }

    private static EngineFixture.Spec traced(
            String service, RestComponent out, RestComponent transformer, GrpcComponent model) {
        return new EngineFixture.Spec(GRAPH)
                .rest(out)
                .rest(transformer)
                .grpc("model", model)
                .property("engine.tracing.enabled", "true")
                .property("engine.tracing.service-name", service)
                .property("engine.tracing.otlp-endpoint", jaeger.otlpEndpoint())
                .property("engine.tracing.export-delay-ms", "100");
    }

    @Test
    void restRequestYieldsOneConnectedTraceAndComponentsGetTheirStepSpan() throws Exception {
        String service = "executor-" + UUID.randomUUID();
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        String clientSpan = "b7ad6b7169203331";
        try (Fixtures f = new Fixtures()) {
            RestComponent out = f.rest("out").echoing("/transform-output");
            RestComponent transformer = f.rest("transformer").echoing("/transform-input");
            GrpcComponent model = f.grpc("model").echoing("Predict");
            EngineFixture engine = f.engine(traced(service, out, transformer, model));

            HttpResponse<String> r = engine.predict(
                    BODY, "traceparent", "00-" + traceId + "-" + clientSpan + "-01", "Seldon-Puid", "puid-trace-1");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

            String transformerParent =
                    parentOf(transformer.received("/transform-input").get(0).header("traceparent"), traceId);
            String outParent = parentOf(out.received("/transform-output").get(0).header("traceparent"), traceId);
            GrpcComponent.Call predict = model.calls("Predict").get(0);
            String modelParent = parentOf(predict.header("traceparent"), traceId);
            // Jaeger-era clients (Seldon's Python wrapper) read uber-trace-id: trace:span:parent:flags, the same span.
            assertThat(transformer.received("/transform-input").get(0).header("uber-trace-id"))
                    .startsWith(traceId + ":" + transformerParent + ":");
            assertThat(predict.header("uber-trace-id")).startsWith(traceId + ":" + modelParent + ":");
            assertThat(predict.header("x-b3-traceid")).isNull();

            JsonNode trace = jaeger.awaitTrace(traceId, t -> t.path("spans").size() >= 4);
            JsonNode spans = trace.path("spans");
            assertThat(spans).hasSize(4);
            assertThat(StreamSupport.stream(spans.spliterator(), false)
                            .map(s -> s.path("traceID").asText()))
                    .containsOnly(traceId);
            assertThat(trace.path("processes")
                            .elements()
                            .next()
                            .path("serviceName")
                            .asText())
                    .isEqualTo(service);

            JsonNode server = span(spans, "predictions");
            assertThat(parent(server)).isEqualTo(clientSpan);
            assertThat(tags(server))
                    .containsEntry("span.kind", "server")
                    .containsEntry("seldon.puid", "puid-trace-1")
                    .containsEntry("seldon.deployment", "test-sdep")
                    .containsEntry("seldon.predictor", "main")
                    .containsEntry("http.response.status_code", "200");

            String serverId = server.path("spanID").asText();
            JsonNode tIn = span(spans, "transform-input transformer");
            JsonNode pred = span(spans, "predict model");
            JsonNode tOut = span(spans, "transform-output out");
            assertThat(List.of(parent(tIn), parent(pred), parent(tOut))).containsOnly(serverId);
            // The components were told exactly these spans are their parents: the trace stays connected through them.
            assertThat(tIn.path("spanID").asText()).isEqualTo(transformerParent);
            assertThat(pred.path("spanID").asText()).isEqualTo(modelParent);
            assertThat(tOut.path("spanID").asText()).isEqualTo(outParent);

            assertThat(tags(tIn))
                    .containsEntry("seldon.node.name", "transformer")
                    .containsEntry("seldon.node.type", "TRANSFORMER")
                    .containsEntry("seldon.node.transport", "rest")
                    .containsEntry("seldon.step", "transform-input")
                    .containsEntry("seldon.puid", "puid-trace-1")
                    .containsEntry("http.response.status_code", "200")
                    .containsEntry("seldon.status", "OK")
                    .containsEntry("span.kind", "client");
            assertThat(tags(pred))
                    .containsEntry("seldon.node.name", "model")
                    .containsEntry("seldon.node.type", "MODEL")
                    .containsEntry("seldon.node.transport", "grpc")
                    .containsEntry("rpc.grpc.status_code", "0")
                    .containsEntry("seldon.deployment", "test-sdep")
                    .containsEntry("seldon.predictor", "main");
            assertThat(tags(tOut)).containsEntry("seldon.node.type", "OUTPUT_TRANSFORMER");
        }
    }

    @Test
    void grpcRequestWithB3PropagationAndAFailingStep() throws Exception {
        String service = "executor-" + UUID.randomUUID();
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        try (Fixtures f = new Fixtures()) {
            RestComponent out = f.rest("out").echoing("/transform-output");
            RestComponent transformer = f.rest("transformer").echoing("/transform-input");
            GrpcComponent model = f.grpc("model").on("Predict", r -> {
                throw Status.INVALID_ARGUMENT.withDescription("bad tensor").asRuntimeException();
            });
            EngineFixture engine = f.engine(
                    traced(service, out, transformer, model).property("engine.tracing.jaeger-propagation", "b3"));

            // A Jaeger-era client: its context in B3 headers over gRPC metadata.
            Metadata md = new Metadata();
            md.put(Metadata.Key.of("x-b3-traceid", Metadata.ASCII_STRING_MARSHALLER), traceId);
            md.put(Metadata.Key.of("x-b3-spanid", Metadata.ASCII_STRING_MARSHALLER), "00f067aa0ba902b7");
            md.put(Metadata.Key.of("x-b3-sampled", Metadata.ASCII_STRING_MARSHALLER), "1");
            SeldonMessage request = SeldonMessage.newBuilder()
                    .setData(DefaultData.newBuilder()
                            .setTensor(
                                    Tensor.newBuilder().addShape(1).addShape(1).addValues(1.0)))
                    .build();
            var stub = SeldonGrpc.newBlockingStub(engine.channel())
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
            try {
                stub.predict(request);
                throw new AssertionError("the model fails, so must the call");
            } catch (StatusRuntimeException expected) {
                assertThat(expected.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            }

            RestComponent.Received tIn =
                    transformer.received("/transform-input").get(0);
            assertThat(tIn.header("X-B3-TraceId")).isEqualTo(traceId);
            assertThat(tIn.header("uber-trace-id")).isNull();
            String tInSpan = parentOf(tIn.header("traceparent"), traceId);
            assertThat(tIn.header("X-B3-SpanId")).isEqualTo(tInSpan);
            GrpcComponent.Call predict = model.calls("Predict").get(0);
            assertThat(predict.header("x-b3-traceid")).isEqualTo(traceId);
            assertThat(predict.header("x-b3-spanid")).isEqualTo(parentOf(predict.header("traceparent"), traceId));

            JsonNode trace = jaeger.awaitTrace(traceId, t -> t.path("spans").size() >= 3);
            JsonNode spans = trace.path("spans");
            assertThat(spans).hasSize(3);
            JsonNode server = span(spans, "predictions");
            assertThat(parent(server)).isEqualTo("00f067aa0ba902b7");
            assertThat(tags(server)).containsEntry("otel.status_code", "ERROR");
            JsonNode pred = span(spans, "predict model");
            assertThat(parent(pred)).isEqualTo(server.path("spanID").asText());
            assertThat(tags(pred))
                    .containsEntry("rpc.grpc.status_code", "3")
                    .containsEntry("otel.status_code", "ERROR")
                    .containsEntry("seldon.status", "COMPONENT_ERROR");
            assertThat(out.received()).isEmpty();
        }
    }

    @Test
    void malformedTraceHeadersStartANewTrace() throws Exception {
        try (Fixtures f = new Fixtures()) {
            RestComponent out = f.rest("out").echoing("/transform-output");
            RestComponent transformer = f.rest("transformer").echoing("/transform-input");
            GrpcComponent model = f.grpc("model").echoing("Predict");
            EngineFixture engine = f.engine(traced("executor-" + UUID.randomUUID(), out, transformer, model));
            HttpResponse<String> r = engine.predict(
                    BODY,
                    "traceparent",
                    "00-not-a-trace-id-at-all",
                    "uber-trace-id",
                    "::::",
                    "X-B3-TraceId",
                    "z".repeat(5000),
                    "b3",
                    "-");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            String traceparent = transformer.received("/transform-input").get(0).header("traceparent");
            assertThat(traceparent)
                    .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[13]")
                    .doesNotContain("not-a-trace");
            assertThat(transformer.received("/transform-input").get(0).header("X-B3-TraceId"))
                    .isNull();
            String traceId = traceparent.substring(3, 35);
            assertThat(model.calls("Predict").get(0).header("traceparent")).contains(traceId);
            JsonNode trace = jaeger.awaitTrace(traceId, t -> t.path("spans").size() >= 4);
            assertThat(parent(span(trace.path("spans"), "predictions"))).isNull();
        }
    }

    @Test
    void tracingOffLeavesTheClientsHeadersAsTheyCame() throws Exception {
        try (Fixtures f = new Fixtures()) {
            RestComponent out = f.rest("out").echoing("/transform-output");
            RestComponent transformer = f.rest("transformer").echoing("/transform-input");
            GrpcComponent model = f.grpc("model").echoing("Predict");
            EngineFixture engine = f.engine(
                    new EngineFixture.Spec(GRAPH).rest(out).rest(transformer).grpc("model", model));
            String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
            assertThat(engine.predict(BODY, "traceparent", traceparent).statusCode())
                    .isEqualTo(200);
            assertThat(transformer.received("/transform-input").get(0).header("traceparent"))
                    .isEqualTo(traceparent);
            assertThat(transformer.received("/transform-input").get(0).header("uber-trace-id"))
                    .isNull();
            assertThat(model.calls("Predict").get(0).header("traceparent")).isEqualTo(traceparent);
            assertThat(engine.engine().plan().root().client().getClass().getSimpleName())
                    .isEqualTo("RestComponentClient");
        }
    }

    /** The parent span id a traceparent names, after checking it belongs to the trace. */
    private static String parentOf(String traceparent, String traceId) {
        assertThat(traceparent).as("traceparent").matches("00-" + traceId + "-[0-9a-f]{16}-01");
        return traceparent.substring(36, 52);
    }

    private static JsonNode span(JsonNode spans, String operation) {
        for (JsonNode s : spans) {
            if (s.path("operationName").asText().equals(operation)) {
                return s;
            }
        }
        throw new AssertionError("no span '" + operation + "' in " + spans);
    }

    private static String parent(JsonNode span) {
        for (JsonNode ref : span.path("references")) {
            if (ref.path("refType").asText().equals("CHILD_OF")) {
                return ref.path("spanID").asText();
            }
        }
        return null;
    }

    private static Map<String, String> tags(JsonNode span) {
        Map<String, String> tags = new HashMap<>();
        for (JsonNode t : span.path("tags")) {
            tags.put(t.path("key").asText(), t.path("value").asText());
        }
        return tags;
    }
}
