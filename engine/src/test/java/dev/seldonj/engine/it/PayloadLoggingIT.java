package dev.seldonj.engine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.seldonj.engine.config.EngineConfig;
import dev.seldonj.engine.config.PayloadLoggerConfig;
import dev.seldonj.engine.it.LogSink.Event;
import dev.seldonj.engine.it.RestComponent.Answer;
import dev.seldonj.protocol.v2.GRPCInferenceServiceGrpc;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelInferRequest;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelInferResponse;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.seldon.protos.PredictionProtos.DefaultData;
import io.seldon.protos.PredictionProtos.Feedback;
import io.seldon.protos.PredictionProtos.Meta;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.PredictionProtos.Tensor;
import io.seldon.protos.SeldonGrpc;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Payload logging against real sinks: CloudEvents in binary mode for each logger mode, REST and gRPC
 * requests, feedback, the skip header, per-node and default sinks, and a sink that is down, slow or
 * so slow that the queue overflows (predictions unaffected, events counted).
 */
class PayloadLoggingIT {

    private static final String REQUEST = "io.seldon.serving.inference.request";
    private static final String RESPONSE = "io.seldon.serving.inference.response";
    private static final String FEEDBACK = "io.seldon.serving.feedback";
    private static final Pattern UUID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    /** One worker delivers in queue order, so an event that was never queued is provably absent. */
    private static final PayloadLoggerConfig IN_ORDER =
            EngineConfig.DEFAULTS.payloadLogger().withWorkers(1);

    private final Fixtures fixtures = new Fixtures();

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    private static Event one(List<Event> events, String model, String type) {
        List<Event> found = events.stream()
                .filter(e -> model.equals(e.model()) && type.equals(e.type()))
                .toList();
        assertThat(found).as("%s events of %s in %s", type, model, events).hasSize(1);
        return found.get(0);
    }

    private static String puid(HttpResponse<String> res) {
        return res.headers().firstValue("Seldon-Puid").orElseThrow();
    }

    @Test
    void restRequestLogsEachModeWithSeldonsCloudEventHeadersAndTheBodies() throws Exception {
        LogSink sink = fixtures.sink(LogSink.answering());
        RestComponent t = fixtures.rest("t").echoing("/transform-input");
        RestComponent m = fixtures.rest("m").echoing("/predict");
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("""
        {name: t, type: TRANSFORMER, logger: {mode: request, url: "%s"}, children: [
          {name: m, type: MODEL, logger: {mode: all, url: "%s"}}]}""".formatted(sink.url("/t"), sink.url("/m")))
                .rest(t)
                .rest(m)
                .payloadLogger(IN_ORDER));
        String body = "{\"data\":{\"ndarray\":[[1,2]]}}";

        HttpResponse<String> res = engine.predict(body, "Seldon-Puid", "p-1");
        assertThat(res.statusCode()).isEqualTo(200);
        engine.predict(body, "Seldon-Puid", "barrier");
        List<Event> all = sink.await(6);

        List<Event> events =
                all.stream().filter(e -> "p-1".equals(e.header("ce-requestid"))).toList();
        assertThat(events).as("t logs requests only, m requests and responses").hasSize(3);
        Event tRequest = one(events, "t", REQUEST);
        assertThat(tRequest.text()).isEqualTo(body);
        assertThat(tRequest.path()).isEqualTo("/t");
        Event mRequest = one(events, "m", REQUEST);
        assertThat(Messages.parse(mRequest.text())).isEqualTo(Messages.parse(Messages.tagged(body, "t")));
        Event mResponse = one(events, "m", RESPONSE);
        assertThat(Messages.parse(mResponse.text()))
                .isEqualTo(Messages.parse(Messages.tagged(Messages.tagged(body, "t"), "m")));
        assertThat(mResponse.path()).isEqualTo("/m");

        assertThat(mResponse.header("ce-specversion")).isEqualTo("1.0");
        assertThat(mResponse.header("ce-source"))
                .isEqualTo("http://localhost:" + engine.engine().httpPort() + "/");
        assertThat(mResponse.header("ce-inferenceservicename")).isEqualTo("test-sdep");
        assertThat(mResponse.header("ce-namespace")).isEqualTo("test-ns");
        assertThat(mResponse.header("ce-endpoint")).isEqualTo("main");
        assertThat(mResponse.header("ce-protocol")).isEqualTo("seldon");
        assertThat(mResponse.header("Content-Type")).isEqualTo("application/json");
        assertThat(Instant.parse(mResponse.header("ce-time")))
                .isBefore(Instant.now().plusSeconds(1));
        Set<String> ids = new HashSet<>();
        for (Event e : all) {
            assertThat(e.header("ce-id")).matches(UUID);
            ids.add(e.header("ce-id"));
        }
        assertThat(ids).as("every event has its own ce-id").hasSize(all.size());
    }

    @Test
    void feedbackIsLoggedByResponseAndAllModesAlongTheRoutingAndRouteCallsAreNot() throws Exception {
        LogSink sink = fixtures.sink(LogSink.answering());
        RestComponent router = fixtures.rest("router")
                .on("/route", r -> Answer.json(Messages.route(1)))
                .on("/send-feedback", r -> Answer.json("{}"));
        RestComponent a = fixtures.rest("a").echoing("/predict", "/send-feedback");
        RestComponent b = fixtures.rest("b").echoing("/predict").on("/send-feedback", r -> Answer.json("{}"));
        String url = sink.url("/");
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("""
        {name: router, type: ROUTER, logger: {mode: response, url: "%s"}, children: [
          {name: a, type: MODEL, logger: {mode: all, url: "%s"}},
          {name: b, type: MODEL, logger: {mode: all, url: "%s"}}]}""".formatted(url, url, url))
                .rest(router)
                .rest(a)
                .rest(b)
                .payloadLogger(IN_ORDER));

        HttpResponse<String> res = engine.predict("{\"data\":{\"ndarray\":[[3]]}}");
        assertThat(res.statusCode()).isEqualTo(200);
        String feedback = "{\"request\":{\"data\":{\"ndarray\":[[3]]}},\"response\":" + res.body() + ",\"reward\":1.0}";
        assertThat(engine.post("/api/v1.0/feedback", feedback, "Seldon-Puid", puid(res))
                        .statusCode())
                .isEqualTo(200);
        List<Event> events = sink.await(4);

        assertThat(events)
                .extracting(e -> e.type() + "@" + e.model())
                .containsExactly(REQUEST + "@b", RESPONSE + "@b", FEEDBACK + "@router", FEEDBACK + "@b");
        assertThat(one(events, "router", FEEDBACK).text()).isEqualTo(feedback);
        assertThat(one(events, "b", FEEDBACK).header("ce-requestid")).isEqualTo(puid(res));
        assertThat(a.received()).isEmpty();
    }

    @Test
    void combinerLogsItsInputAndAggregateAndNodesWithoutUrlUseTheDefaultEndpoint() throws Exception {
        LogSink own = fixtures.sink(LogSink.answering());
        LogSink fallback = fixtures.sink(LogSink.answering());
        RestComponent a = fixtures.rest("a").on("/predict", r -> Answer.json(Messages.values(1, 3)));
        RestComponent b = fixtures.rest("b").on("/predict", r -> Answer.json(Messages.values(3, 5)));
        RestComponent c = fixtures.rest("c").on("/aggregate", r -> Answer.json(Messages.values(2, 4)));
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("""
        {name: c, type: COMBINER, logger: {mode: all}, children: [
          {name: a, type: MODEL, logger: {mode: response, url: "%s"}}, {name: b, type: MODEL}]}""".formatted(own.url("/own")))
                .rest(a)
                .rest(b)
                .rest(c)
                .payloadLogger(IN_ORDER.withDefaultEndpoint(fallback.url("/default"))));
        String input = Messages.values(9);

        assertThat(engine.predict(input).statusCode()).isEqualTo(200);

        List<Event> toDefault = fallback.await(2);
        assertThat(one(toDefault, "c", REQUEST).text())
                .as("the node's input, as Seldon logs it")
                .isEqualTo(input);
        assertThat(Messages.parse(one(toDefault, "c", RESPONSE).text()).at("/data/tensor/values"))
                .isEqualTo(Messages.parse("[2.0,4.0]"));
        assertThat(toDefault).allMatch(e -> e.path().equals("/default"));
        List<Event> toOwn = own.await(1);
        assertThat(one(toOwn, "a", RESPONSE).path()).isEqualTo("/own");
        assertThat(Messages.parse(toOwn.get(0).text()).at("/data/tensor/values"))
                .isEqualTo(Messages.parse("[1.0,3.0]"));
    }

    @Test
    void seldonSkipLoggingHeaderOrMetadataSuppressesTheRequestsEvents() throws Exception {
        LogSink sink = fixtures.sink(LogSink.answering());
        RestComponent m = fixtures.rest("m").echoing("/predict");
        EngineFixture engine = fixtures.engine(
                new EngineFixture.Spec("""
        {name: m, type: MODEL, logger: {mode: all, url: "%s"}}""".formatted(sink.url("/"))).rest(m).payloadLogger(IN_ORDER));
        String body = "{\"data\":{\"ndarray\":[[1]]}}";

        assertThat(engine.predict(body, "Seldon-Puid", "skipped-rest", "Seldon-Skip-Logging", "true")
                        .statusCode())
                .isEqualTo(200);
        Metadata skip = new Metadata();
        skip.put(Metadata.Key.of("seldon-skip-logging", Metadata.ASCII_STRING_MARSHALLER), "1");
        SeldonGrpc.newBlockingStub(engine.channel())
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(skip))
                .predict(SeldonMessage.newBuilder()
                        .setMeta(Meta.newBuilder().setPuid("skipped-grpc"))
                        .build());
        assertThat(engine.predict(body, "Seldon-Puid", "logged", "Seldon-Skip-Logging", "false")
                        .statusCode())
                .isEqualTo(200);

        List<Event> events = sink.await(2);
        assertThat(events).extracting(e -> e.header("ce-requestid")).containsExactly("logged", "logged");
        assertThat(m.received()).hasSize(3);
    }

    @Test
    void grpcPredictionsAndFeedbackAreLoggedAsProtobuf() throws Exception {
        LogSink sink = fixtures.sink(LogSink.answering());
        RestComponent t = fixtures.rest("t").echoing("/transform-input");
        GrpcComponent m =
                fixtures.grpc("m").echoing("Predict").on("SendFeedback", r -> SeldonMessage.getDefaultInstance());
        String url = sink.url("/");
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("""
        {name: t, type: TRANSFORMER, logger: {mode: all, url: "%s"}, children: [
          {name: m, type: MODEL, endpoint: {type: GRPC}, logger: {mode: all, url: "%s"}}]}""".formatted(url, url))
                .rest(t)
                .grpc("m", m)
                .payloadLogger(IN_ORDER));
        SeldonMessage request = SeldonMessage.newBuilder()
                .setData(DefaultData.newBuilder()
                        .setTensor(Tensor.newBuilder().addShape(1).addShape(1).addValues(7)))
                .setMeta(Meta.newBuilder().setPuid("g-1"))
                .build();
        var stub = SeldonGrpc.newBlockingStub(engine.channel());

        SeldonMessage answer = stub.predict(request);
        Feedback feedback = Feedback.newBuilder()
                .setRequest(request)
                .setResponse(answer)
                .setReward(0.5f)
                .build();
        stub.sendFeedback(feedback);

        List<Event> events = sink.await(6);
        assertThat(events)
                .allMatch(e -> e.header("Content-Type").equals("application/protobuf"))
                .allMatch(e -> e.header("ce-requestid").equals("g-1"));
        assertThat(SeldonMessage.parseFrom(one(events, "t", REQUEST).body())).isEqualTo(request);
        SeldonMessage transformed =
                SeldonMessage.parseFrom(one(events, "t", RESPONSE).body());
        assertThat(transformed.getMeta().getTagsMap())
                .as("t's JSON answer, converted")
                .containsKey("t");
        assertThat(transformed.getData().getTensor().getValuesList()).containsExactly(7.0);
        assertThat(SeldonMessage.parseFrom(one(events, "m", REQUEST).body())).isEqualTo(transformed);
        assertThat(SeldonMessage.parseFrom(one(events, "m", RESPONSE).body())
                        .getMeta()
                        .getTagsMap())
                .containsKeys("t", "m");
        assertThat(Feedback.parseFrom(one(events, "t", FEEDBACK).body())).isEqualTo(feedback);
        assertThat(Feedback.parseFrom(one(events, "m", FEEDBACK).body())).isEqualTo(feedback);
    }

    @Test
    void gzippedRequestBodiesAreLoggedPlain() throws Exception {
        LogSink sink = fixtures.sink(LogSink.answering());
        RestComponent m = fixtures.rest("m").echoing("/predict");
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("""
        {name: m, type: MODEL, logger: {mode: request, url: "%s"}}""".formatted(sink.url("/"))).rest(m));
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            values.append(i == 0 ? "" : ",").append(i % 10);
        }
        String body = "{\"data\":{\"ndarray\":[[" + values + "]]}}";
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(body.getBytes(StandardCharsets.UTF_8));
        }

        HttpResponse<String> res = engine.send(HttpRequest.newBuilder(URI.create(engine.url("/api/v1.0/predictions")))
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gz.toByteArray()))
                .build());

        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertThat(sink.await(1).get(0).text()).isEqualTo(body);
        assertThat(m.received("/predict").get(0).body()).isEqualTo(body);

        HttpResponse<String> notGzip =
                engine.send(HttpRequest.newBuilder(URI.create(engine.url("/api/v1.0/predictions")))
                        .header("Content-Type", "application/json")
                        .header("Content-Encoding", "gzip")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build());
        assertThat(notGzip.statusCode()).isEqualTo(400);
        assertThat(notGzip.body()).contains("does not match its Content-Encoding");
        assertThat(engine.predict(body).statusCode()).isEqualTo(200);
    }

    @Test
    void aSinkThatIsDownFailsEventsNotPredictions() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        RestComponent m = fixtures.rest("m").echoing("/predict");
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("""
        {name: m, type: MODEL, logger: {mode: all, url: "http://127.0.0.1:%d/"}}""".formatted(closedPort)).rest(m));

        for (int i = 0; i < 5; i++) {
            assertThat(engine.predict("{\"data\":{\"ndarray\":[[1]]}}").statusCode())
                    .isEqualTo(200);
        }

        awaitCounter(engine, "m", "failed", 10);
        assertThat(counter(engine, "m", "delivered")).isZero();
        assertThat(counter(engine, "m", "dropped")).isZero();
    }

    @Test
    void aSlowSinkNeverSlowsPredictionsAndItsEventsFailAfterTheWriteTimeout() throws Exception {
        LogSink sink = fixtures.sink(LogSink.holding());
        RestComponent m = fixtures.rest("m").echoing("/predict");
        long timeoutMs = 4_000;
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("""
        {name: m, type: MODEL, logger: {mode: request, url: "%s"}}""".formatted(sink.url("/")))
                .rest(m)
                .payloadLogger(EngineConfig.DEFAULTS.payloadLogger().withQueue(100, timeoutMs)));
        engine.predict("{\"data\":{\"ndarray\":[[0]]}}");
        sink.await(1);

        long start = System.nanoTime();
        for (int i = 0; i < 4; i++) {
            assertThat(engine.predict("{\"data\":{\"ndarray\":[[1]]}}").statusCode())
                    .isEqualTo(200);
        }
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(elapsedMs)
                .as("4 predictions while every delivery hangs for %d ms", timeoutMs)
                .isLessThan(timeoutMs);
        sink.await(5);
        awaitCounter(engine, "m", "failed", 5);
        assertThat(counter(engine, "m", "delivered")).isZero();
    }

    @Test
    void aFullQueueDropsAndCountsEventsWhileTheEngineStaysHealthy() throws Exception {
        LogSink sink = fixtures.sink(LogSink.holding());
        RestComponent m = fixtures.rest("m").echoing("/predict");
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("""
        {name: m, type: MODEL, logger: {mode: all, url: "%s"}}""".formatted(sink.url("/")))
                .rest(m)
                .annotation("seldon.io/executor-logger-queue-size", "2")
                .payloadLogger(
                        EngineConfig.DEFAULTS.payloadLogger().withWorkers(1).withQueue(10_000, 60_000)));
        String body = "{\"data\":{\"ndarray\":[[1]]}}";

        assertThat(engine.predict(body).statusCode()).isEqualTo(200);
        sink.await(1);
        // The only worker now hangs on the first event; the queue holds 2 more; the rest are dropped.
        for (int i = 0; i < 9; i++) {
            assertThat(engine.predict(body).statusCode()).isEqualTo(200);
        }

        assertThat(counter(engine, "m", "dropped")).isEqualTo(20 - 1 - 2);
        assertThat(engine.get("/prometheus").body())
                .contains("seldon_api_executor_logger_queued_events{"
                        + "deployment_name=\"test-sdep\",predictor_name=\"main\",predictor_version=\"main\"} 2.0");
        assertThat(engine.get("/live").statusCode()).isEqualTo(200);
        assertThat(engine.get("/ready").statusCode()).isEqualTo(200);
        sink.release();
        awaitCounter(engine, "m", "delivered", 3);
    }

    @Test
    void theQueuedPayloadBytesAreBoundedTooSoLargePayloadsCannotExhaustTheHeap() throws Exception {
        LogSink sink = fixtures.sink(LogSink.holding());
        RestComponent m = fixtures.rest("m").echoing("/predict");
        String body = "{\"strData\":\"" + "x".repeat(1000) + "\"}";
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("""
        {name: m, type: MODEL, logger: {mode: request, url: "%s"}}""".formatted(sink.url("/")))
                .rest(m)
                .payloadLogger(EngineConfig.DEFAULTS
                        .payloadLogger()
                        .withWorkers(1)
                        .withQueue(10_000, 60_000)
                        .withQueueBytes(body.length() * 5L / 2)));

        assertThat(engine.predict(body).statusCode()).isEqualTo(200);
        sink.await(1);
        for (int i = 0; i < 4; i++) {
            assertThat(engine.predict(body).statusCode()).isEqualTo(200);
        }

        assertThat(counter(engine, "m", "dropped"))
                .as("one in flight, one queued: 2.5 payloads' worth")
                .isEqualTo(3);
        sink.release();
        awaitCounter(engine, "m", "delivered", 2);
        assertThat(engine.predict(body).statusCode()).isEqualTo(200);
        awaitCounter(engine, "m", "delivered", 3);
    }

    @Test
    void aQueueOfSizeZeroHandsEventsOnlyToAnIdleWorker() throws Exception {
        LogSink sink = fixtures.sink(LogSink.holding());
        RestComponent m = fixtures.rest("m").echoing("/predict");
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("""
        {name: m, type: MODEL, logger: {mode: request, url: "%s"}}""".formatted(sink.url("/")))
                .rest(m)
                .annotation("seldon.io/executor-logger-queue-size", "0")
                .payloadLogger(
                        EngineConfig.DEFAULTS.payloadLogger().withWorkers(1).withQueue(10_000, 60_000)));
        String body = "{\"data\":{\"ndarray\":[[1]]}}";
        // Until the worker has taken one (it may not be waiting yet right after start-up).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (sink.events().isEmpty() && System.nanoTime() < deadline) {
            assertThat(engine.predict(body).statusCode()).isEqualTo(200);
        }
        sink.await(1);
        long dropped = counter(engine, "m", "dropped");

        assertThat(engine.predict(body).statusCode()).isEqualTo(200);

        assertThat(counter(engine, "m", "dropped"))
                .as("the only worker is busy: no hand-off")
                .isEqualTo(dropped + 1);
        assertThat(engine.get("/prometheus").body())
                .contains("seldon_api_executor_logger_queued_events{"
                        + "deployment_name=\"test-sdep\",predictor_name=\"main\",predictor_version=\"main\"} 0.0");
    }

    @Test
    void v2GraphsLogJsonWithTheirProtocol() throws Exception {
        LogSink sink = fixtures.sink(LogSink.answering());
        RestComponent m = fixtures.rest("m")
                .on(
                        "/v2/models/m/infer",
                        r -> Answer.json(
                                "{\"model_name\":\"m\",\"outputs\":[{\"name\":\"y\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[2]}]}"));
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("""
        {name: m, type: MODEL, logger: {mode: all, url: "%s"}}""".formatted(sink.url("/")))
                .protocol("v2")
                .rest(m));
        String request = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}]}";

        assertThat(engine.post("/v2/models/m/infer", request).statusCode()).isEqualTo(200);

        List<Event> events = sink.await(2);
        assertThat(events)
                .allMatch(e -> e.header("ce-protocol").equals("v2"))
                .allMatch(e -> e.header("Content-Type").equals("application/json"));
        assertThat(one(events, "m", REQUEST).text()).isEqualTo(request);
        assertThat(one(events, "m", RESPONSE).text()).contains("\"outputs\"");
    }

    @Test
    void v2GrpcNodesLogTheirProtobufAsSent() throws Exception {
        LogSink sink = fixtures.sink(LogSink.answering());
        V2GrpcComponent model = fixtures.closing(new V2GrpcComponent(
                "m",
                r -> ModelInferResponse.newBuilder()
                        .setModelName("m")
                        .setId(r.getId())
                        .addOutputs(ModelInferResponse.InferOutputTensor.newBuilder()
                                .setName("y")
                                .setDatatype("BYTES")
                                .addShape(1))
                        .addRawOutputContents(r.getRawInputContents(0))
                        .build()));
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("""
        {name: m, type: MODEL, endpoint: {type: GRPC}, logger: {mode: all, url: "%s"}}""".formatted(sink.url("/")))
                .protocol("v2")
                .container("m", 0, model.port()));
        ModelInferRequest request = ModelInferRequest.newBuilder()
                .setModelName("m")
                .setId("r-1")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                        .setName("x")
                        .setDatatype("BYTES")
                        .addShape(1))
                .addRawInputContents(ByteString.copyFromUtf8("raw"))
                .build();

        GRPCInferenceServiceGrpc.newBlockingStub(engine.channel()).modelInfer(request);

        List<Event> events = sink.await(2);
        assertThat(events)
                .allMatch(e -> e.header("ce-protocol").equals("v2"))
                .allMatch(e -> e.header("Content-Type").equals("application/protobuf"));
        assertThat(ModelInferRequest.parseFrom(one(events, "m", REQUEST).body()))
                .isEqualTo(request);
        assertThat(ModelInferResponse.parseFrom(one(events, "m", RESPONSE).body())
                        .getRawOutputContents(0)
                        .toStringUtf8())
                .isEqualTo("raw");
    }

    @Test
    void aLoggerWithoutASinkOrWithABadUrlStopsStartUpNamingTheNode() {
        assertThatThrownBy(() -> fixtures.engine(
                        new EngineFixture.Spec("{name: stub, implementation: SIMPLE_MODEL, logger: {mode: all}}")))
                .hasMessageContaining(
                        "node 'stub' has a logger without url and REQUEST_LOGGER_DEFAULT_ENDPOINT is not set");
        assertThatThrownBy(() -> fixtures.engine(new EngineFixture.Spec(
                        "{name: stub, implementation: SIMPLE_MODEL, logger: {mode: all, url: \"ftp://sink\"}}")))
                .hasMessageContaining("node 'stub': logger.url 'ftp://sink' must be an http:// URL with a host");
        assertThatThrownBy(() -> fixtures.engine(new EngineFixture.Spec(
                        "{name: stub, implementation: SIMPLE_MODEL, logger: {mode: all, url: \"https://sink\"}}")))
                .hasMessageContaining("node 'stub': logger.url 'https://sink': https sinks are not supported");
    }

    private static final Pattern LOGGER_LINE =
            Pattern.compile("^seldon_api_executor_logger_events_total\\{(.*)} (\\S+)$", Pattern.MULTILINE);

    /** The sum of the node's logger events with this outcome, over the event types. */
    private static long counter(EngineFixture engine, String model, String outcome) {
        String text = engine.get("/prometheus").body();
        Matcher m = LOGGER_LINE.matcher(text);
        double sum = 0;
        while (m.find()) {
            if (m.group(1).contains("model_name=\"" + model + "\"")
                    && m.group(1).contains("outcome=\"" + outcome + "\"")) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return (long) sum;
    }

    /** Polls /prometheus (bounded) until the counter reaches {@code expected}; fails if it passes it. */
    private static void awaitCounter(EngineFixture engine, String model, String outcome, long expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long value;
        while ((value = counter(engine, model, outcome)) < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(value).as("%s events of %s", outcome, model).isEqualTo(expected);
    }
}
