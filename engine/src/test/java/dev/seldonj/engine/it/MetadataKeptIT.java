package dev.seldonj.engine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.seldonj.engine.it.RestComponent.Answer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.seldon.protos.PredictionProtos.DefaultData;
import io.seldon.protos.PredictionProtos.Feedback;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.PredictionProtos.Tensor;
import io.seldon.protos.SeldonGrpc;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the README promises is never dropped: a feedback answer names the components that took it
 * (meta.requestPath, REST and gRPC), and a gRPC client of a REST component that failed reads the
 * component's own message, with the status its HTTP code maps to.
 */
class MetadataKeptIT {

    private final Fixtures fixtures = new Fixtures();

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    private static SeldonMessage tensor(double v) {
        return SeldonMessage.newBuilder()
                .setData(DefaultData.newBuilder()
                        .setTensor(Tensor.newBuilder().addShape(1).addValues(v)))
                .build();
    }

    @Test
    void aFeedbackAnswerCarriesTheRequestPathOverRestAndGrpc() throws Exception {
        RestComponent model =
                fixtures.rest("model").on("/send-feedback", r -> Answer.json("{\"data\":{\"ndarray\":[]}}"));
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("{name: model, type: MODEL}").rest(model));

        HttpResponse<String> rest =
                engine.post("/api/v1.0/feedback", "{\"request\":{\"data\":{\"ndarray\":[[1.0]]}},\"reward\":1.0}");
        assertThat(rest.statusCode()).as(rest.body()).isEqualTo(200);
        assertThat(Messages.parse(rest.body()).at("/meta/requestPath/model").asText())
                .isEqualTo("test/model:1.0");

        SeldonMessage grpc = SeldonGrpc.newBlockingStub(engine.channel())
                .sendFeedback(Feedback.newBuilder()
                        .setRequest(tensor(1))
                        .setReward(1f)
                        .build());
        assertThat(grpc.getMeta().getRequestPathMap()).containsEntry("model", "test/model:1.0");
        assertThat(model.received("/send-feedback")).hasSize(2);
    }

    @Test
    void aGrpcClientReadsTheRestComponentsOwnErrorWithItsStatusMapped() throws Exception {
        RestComponent model = fixtures.rest("model")
                .on(
                        "/predict",
                        r -> r.body().contains("bad")
                                ? new Answer(
                                        400,
                                        "{\"status\":{\"code\":-1,\"info\":\"column 3 is not a number\",\"reason\":"
                                                + "\"MICROSERVICE_BAD_DATA\",\"status\":\"FAILURE\"}}",
                                        "application/json")
                                : new Answer(500, "model exploded: out of coffee", "text/plain"));
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("{name: model, type: MODEL}").rest(model));
        var stub = SeldonGrpc.newBlockingStub(engine.channel());

        StatusRuntimeException internal =
                catchThrowableOfType(() -> stub.predict(tensor(1)), StatusRuntimeException.class);
        assertThat(internal.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(internal.getStatus().getDescription())
                .isEqualTo("node 'model' answered HTTP 500: model exploded: out of coffee");

        StatusRuntimeException bad = catchThrowableOfType(
                () -> stub.predict(SeldonMessage.newBuilder().setStrData("bad").build()), StatusRuntimeException.class);
        assertThat(bad.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(bad.getStatus().getDescription()).contains("column 3 is not a number (MICROSERVICE_BAD_DATA)");

        // A REST client still gets the component's answer itself.
        HttpResponse<String> rest = engine.post("/api/v1.0/predictions", "{\"strData\":\"bad\"}");
        assertThat(rest.statusCode()).isEqualTo(400);
        assertThat(rest.body()).contains("\"MICROSERVICE_BAD_DATA\"");
    }
}
