package dev.seldonj.engine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.seldon.protos.PredictionProtos.DefaultData;
import io.seldon.protos.PredictionProtos.Feedback;
import io.seldon.protos.PredictionProtos.Meta;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.PredictionProtos.SeldonMessageList;
import io.seldon.protos.PredictionProtos.Tensor;
import io.seldon.protos.SeldonGrpc;
import java.net.ServerSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** gRPC components and the external seldon.protos.Seldon service, alone and mixed with REST. */
class GrpcIT {

    private final Fixtures fixtures = new Fixtures();

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    private static SeldonMessage tensor(double... v) {
        Tensor.Builder t = Tensor.newBuilder().addShape(1).addShape(v.length);
        for (double d : v) {
            t.addValues(d);
        }
        return SeldonMessage.newBuilder()
                .setData(DefaultData.newBuilder().setTensor(t))
                .build();
    }

    @Test
    void grpcClientThroughGrpcRouterAndModelsWithPuidHeaderAndMeta() throws Exception {
        GrpcComponent router = fixtures.grpc("router").on("Route", r -> tensor(1));
        GrpcComponent model = fixtures.grpc("model").echoing("Predict");
        EngineFixture engine = fixtures.engine(
                new EngineFixture.Spec("""
        {name: router, type: ROUTER, endpoint: {type: GRPC}, children: [
          {name: stub, implementation: SIMPLE_MODEL}, {name: model, type: MODEL, endpoint: {type: GRPC}}]}""").grpc("router", router).grpc("model", model));
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-trace", Metadata.ASCII_STRING_MARSHALLER), "t1");
        AtomicReference<Metadata> responseHeaders = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        var stub = SeldonGrpc.newBlockingStub(engine.channel())
                .withInterceptors(
                        MetadataUtils.newAttachHeadersInterceptor(headers),
                        MetadataUtils.newCaptureMetadataInterceptor(responseHeaders, trailers));

        SeldonMessage answer = stub.predict(
                tensor(5).toBuilder().setMeta(Meta.newBuilder().setPuid("g-1")).build());

        assertThat(answer.getData().getTensor().getValues(0)).isEqualTo(5.0);
        assertThat(answer.getMeta().getPuid()).isEqualTo("g-1");
        assertThat(answer.getMeta().getRoutingMap()).containsEntry("router", 1);
        assertThat(answer.getMeta().getRequestPathMap()).containsEntry("model", "test/model:1.0");
        assertThat(answer.getMeta().getTagsMap()).containsKey("model");
        assertThat(responseHeaders.get().get(Metadata.Key.of("seldon-puid", Metadata.ASCII_STRING_MARSHALLER)))
                .isEqualTo("g-1");
        GrpcComponent.Call call = model.calls("Predict").get(0);
        assertThat(call.header("x-trace")).isEqualTo("t1");
        assertThat(call.header("seldon-puid")).isEqualTo("g-1");
    }

    @Test
    void mixedTransportsInOneGraphRestClientRestTransformerGrpcModel() throws Exception {
        RestComponent transformer = fixtures.rest("transformer").echoing("/transform-input");
        GrpcComponent model = fixtures.grpc("model").echoing("Predict");
        EngineFixture engine =
                fixtures.engine(new EngineFixture.Spec("""
        {name: transformer, type: TRANSFORMER, endpoint: {type: REST}, children: [
          {name: model, type: MODEL, endpoint: {type: GRPC}}]}""").rest(transformer).grpc("model", model));

        JsonNode answer = Messages.parse(engine.predict("{\"data\":{\"names\":[\"a\"],\"ndarray\":[[1,2]]}}")
                .body());

        assertThat(answer.at("/data/ndarray/0/1").asInt()).isEqualTo(2);
        assertThat(answer.at("/meta/tags/transformer").asBoolean()).isTrue();
        assertThat(answer.at("/meta/tags/model").asBoolean()).isTrue();
        SeldonMessage received = (SeldonMessage) model.calls("Predict").get(0).request();
        assertThat(received.getData().getNamesList()).containsExactly("a");
    }

    @Test
    void grpcOutputTransformerAndCombiner() throws Exception {
        GrpcComponent out = fixtures.grpc("out").echoing("TransformOutput");
        GrpcComponent combiner = fixtures.grpc("combiner")
                .on("Aggregate", r -> tensor(((SeldonMessageList) r).getSeldonMessagesCount()));
        EngineFixture engine =
                fixtures.engine(new EngineFixture.Spec("""
        {name: out, type: OUTPUT_TRANSFORMER, endpoint: {type: GRPC}, children: [
          {name: combiner, type: COMBINER, endpoint: {type: GRPC}, children: [
            {name: a, implementation: SIMPLE_MODEL}, {name: b, implementation: SIMPLE_MODEL}]}]}""").grpc("out", out).grpc("combiner", combiner));

        SeldonMessage answer = SeldonGrpc.newBlockingStub(engine.channel()).predict(tensor(1));

        assertThat(answer.getData().getTensor().getValues(0)).isEqualTo(2.0);
        assertThat(answer.getMeta().getTagsMap()).containsKey("out");
    }

    @Test
    void feedbackOverGrpcReachesTheRoutedModel() throws Exception {
        GrpcComponent model = fixtures.grpc("model").on("SendFeedback", r -> SeldonMessage.getDefaultInstance());
        EngineFixture engine = fixtures.engine(
                new EngineFixture.Spec("{name: model, type: MODEL, endpoint: {type: GRPC}}").grpc("model", model));

        SeldonGrpc.newBlockingStub(engine.channel())
                .sendFeedback(Feedback.newBuilder()
                        .setReward(0.5f)
                        .setResponse(SeldonMessage.newBuilder()
                                .setMeta(Meta.newBuilder().setPuid("f1")))
                        .build());

        assertThat(((Feedback) model.calls("SendFeedback").get(0).request()).getReward())
                .isEqualTo(0.5f);
    }

    @Test
    void componentErrorsKeepTheirGrpcCodeAndNameTheNode() throws Exception {
        GrpcComponent model = fixtures.grpc("model").on("Predict", r -> {
            throw Status.INVALID_ARGUMENT.withDescription("bad features").asRuntimeException();
        });
        EngineFixture engine = fixtures.engine(
                new EngineFixture.Spec("{name: model, type: MODEL, endpoint: {type: GRPC}}").grpc("model", model));

        assertThatThrownBy(() -> SeldonGrpc.newBlockingStub(engine.channel()).predict(tensor(1)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("model").contains("bad features");
                });
        var rest = engine.predict("{\"data\":{\"ndarray\":[1]}}");
        assertThat(rest.statusCode()).isEqualTo(400);
        assertThat(rest.body()).contains("bad features");
    }

    @Test
    void unavailableGrpcNodeIs503AndUnavailable() throws Exception {
        int free;
        try (var s = new ServerSocket(0)) {
            free = s.getLocalPort();
        }
        EngineFixture engine =
                fixtures.engine(new EngineFixture.Spec("{name: model, type: MODEL, endpoint: {type: GRPC}}")
                        .container("model", 0, free));

        var rest = engine.predict("{\"data\":{\"ndarray\":[1]}}");
        assertThat(rest.statusCode()).isEqualTo(503);
        assertThat(rest.body()).contains("node 'model' is unavailable");
        assertThatThrownBy(() -> SeldonGrpc.newBlockingStub(engine.channel()).predict(tensor(1)))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        assertThat(engine.get("/ready").statusCode()).isEqualTo(503);
    }

    @Test
    void healthAndReflectionAreServed() throws Exception {
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("{name: stub, implementation: SIMPLE_MODEL}"));

        HealthCheckResponse health = HealthGrpc.newBlockingStub(engine.channel())
                .check(HealthCheckRequest.newBuilder()
                        .setService("seldon.protos.Seldon")
                        .build());
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

        CompletableFuture<ServerReflectionResponse> listed = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> req = ServerReflectionGrpc.newStub(engine.channel())
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse value) {
                        listed.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        listed.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {}
                });
        req.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        req.onCompleted();
        assertThat(listed.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList())
                .extracting(s -> s.getName())
                .contains("seldon.protos.Seldon", "grpc.health.v1.Health");
    }
}
