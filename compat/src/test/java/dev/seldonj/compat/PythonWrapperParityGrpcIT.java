package dev.seldonj.compat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import dev.seldonj.api.protocol.SeldonJson;
import io.grpc.stub.AbstractStub;
import io.seldon.protos.CombinerGrpc;
import io.seldon.protos.GenericGrpc;
import io.seldon.protos.ModelGrpc;
import io.seldon.protos.OutputTransformerGrpc;
import io.seldon.protos.PredictionProtos.Feedback;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.PredictionProtos.SeldonMessageList;
import io.seldon.protos.PredictionProtos.SeldonModelMetadataRequest;
import io.seldon.protos.RouterGrpc;
import io.seldon.protos.SeldonGrpc;
import io.seldon.protos.TransformerGrpc;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our Python wrapper answers every method of every gRPC service of {@code seldon.protos} exactly as
 * Seldon's: {@code Generic} (TransformInput, TransformOutput, Route, Aggregate, SendFeedback),
 * {@code Model} (Predict, SendFeedback, Metadata), {@code Router} (Route, SendFeedback),
 * {@code Transformer}, {@code OutputTransformer}, {@code Combiner} and {@code Seldon} (Predict,
 * SendFeedback, ModelMetadata, GraphMetadata), for every test class of {@code compat/python} and a set of
 * messages (every payload kind, meta, empty messages and lists). Answers must be equal messages; errors
 * must have the same status code and description (Seldon's wrapper answers a Python exception with
 * {@code UNKNOWN} and {@code "Exception calling application: <message>"}).
 */
class PythonWrapperParityGrpcIT {

    static final List<SeldonMessage> MESSAGES = List.of(
            SeldonJson.parseMessage("{\"meta\":{\"puid\":\"g\",\"tags\":{\"t\":\"v\",\"n\":2}},"
                    + "\"data\":{\"names\":[\"a\",\"b\"],\"ndarray\":[[1,2],[3,4.5]]}}"),
            SeldonJson.parseMessage("{\"data\":{\"ndarray\":[1,2,3]}}"),
            SeldonJson.parseMessage(
                    "{\"data\":{\"names\":[\"x\",\"y\",\"z\"],\"tensor\":{\"shape\":[1,3],\"values\":[1,2,3]}}}"),
            SeldonJson.parseMessage("{\"data\":{\"tensor\":{\"shape\":[2,2],\"values\":[0.1,0.2,1e-7,1e22]}}}"),
            SeldonJson.parseMessage("{\"data\":{\"ndarray\":[[\"a\",\"b\"],[\"c\",\"d\"]]}}"),
            SeldonJson.parseMessage("{\"data\":{\"ndarray\":[[1,\"a\"]]}}"),
            SeldonJson.parseMessage("{\"data\":{\"names\":[\"only names\"]}}"),
            SeldonJson.parseMessage("{\"strData\":\"hello\"}"),
            SeldonJson.parseMessage("{\"meta\":{\"puid\":\"u\"},\"strData\":\"h\\u00e9llo \\u2603\"}"),
            SeldonMessage.newBuilder()
                    .setBinData(ByteString.copyFrom(new byte[] {0, 1, 2, (byte) 0xff}))
                    .build(),
            SeldonJson.parseMessage("{\"jsonData\":{\"b\":1,\"a\":[1,2.5,\"x\",null,true]}}"),
            SeldonJson.parseMessage(
                    "{\"meta\":{\"puid\":\"m\",\"routing\":{\"node\":1},\"requestPath\":{\"up\":\"i:0\"},"
                            + "\"metrics\":[{\"key\":\"upstream\",\"type\":\"GAUGE\",\"value\":3}]},\"data\":{\"ndarray\":[[2]]}}"),
            SeldonMessage.getDefaultInstance());

    static final List<SeldonMessageList> LISTS = List.of(
            SeldonJson.parseMessageList(PythonWrapperParityIT.LIST),
            SeldonJson.parseMessageList("[{\"data\":{\"names\":[\"a\",\"b\"],\"ndarray\":[[1,2],[3,4]]}},"
                    + "{\"data\":{\"ndarray\":[[5,6],[7,8]]}}]"),
            SeldonJson.parseMessageList("[{\"strData\":\"a\"},{\"meta\":{\"puid\":\"p\"},\"strData\":\"b\"}]"),
            SeldonJson.parseMessageList("[{\"jsonData\":{\"a\":1}},{\"jsonData\":{\"b\":2}}]"),
            SeldonMessageList.getDefaultInstance());

    static final List<Feedback> FEEDBACKS = PythonWrapperParityIT.FEEDBACKS.stream()
            .map(SeldonJson::parseFeedback)
            .toList();

    static Arguments twin(String label, String interfaceName, UnaryOperator<PythonMicroservice.Builder> config) {
        return Arguments.of(label, interfaceName, config);
    }

    static List<Arguments> classes() {
        return List.of(
                twin("ContractModel", "ContractModel", b -> b.parameters(PythonWrapperParityIT.CONTRACT_PARAMS)),
                twin("MyModel (the seeds')", "MyModel", b -> b),
                twin("TypesModel", "TypesModel", b -> b),
                twin("MetaModel", "MetaModel", b -> b),
                twin("FailingModel", "FailingModel", b -> b),
                twin("RawModel", "RawModel", b -> b),
                twin(
                        "ContractRouter",
                        "ContractRouter",
                        b -> b.serviceType("ROUTER")
                                .parameters("[{\"name\":\"default_child\",\"value\":\"1\",\"type\":\"INT\"}]")),
                twin("NonIntRouter", "NonIntRouter", b -> b.serviceType("ROUTER")),
                twin("ContractTransformer", "ContractTransformer", b -> b.serviceType("TRANSFORMER")),
                twin("ContractOutputTransformer", "ContractOutputTransformer", b -> b.serviceType("TRANSFORMER")),
                twin("ContractCombiner", "ContractCombiner", b -> b.serviceType("COMBINER")));
    }

    private static <S extends AbstractStub<S>> S deadline(S stub) {
        return stub.withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("classes")
    void everyMethodOfEveryService(
            String label, String interfaceName, UnaryOperator<PythonMicroservice.Builder> config) {
        try (WrapperTwins twins = WrapperTwins.start(interfaceName, config)) {
            SoftAssertions softly = new SoftAssertions();
            List<SeldonMessage> messages = new ArrayList<>(MESSAGES);
            if (interfaceName.equals("TypesModel")) {
                for (String kind : List.of(
                        "str",
                        "dict",
                        "bytes",
                        "strings",
                        "np-strings",
                        "mixed",
                        "nested",
                        "empty",
                        "int",
                        "float",
                        "none",
                        "np-int",
                        "np-bool",
                        "unicode")) {
                    messages.add(SeldonMessage.newBuilder().setStrData(kind).build());
                }
            }
            if (interfaceName.equals("RawModel")) {
                messages.add(SeldonJson.parseMessage("{\"jsonData\":{\"status\":418}}"));
            }
            for (SeldonMessage m : messages) {
                String in = " <- " + SeldonJson.print(m);
                Parity.grpc(
                        softly,
                        twins,
                        "Generic/TransformInput" + in,
                        ch -> deadline(GenericGrpc.newBlockingStub(ch)),
                        s -> s.transformInput(m));
                Parity.grpc(
                        softly,
                        twins,
                        "Generic/TransformOutput" + in,
                        ch -> deadline(GenericGrpc.newBlockingStub(ch)),
                        s -> s.transformOutput(m));
                Parity.grpc(
                        softly,
                        twins,
                        "Generic/Route" + in,
                        ch -> deadline(GenericGrpc.newBlockingStub(ch)),
                        s -> s.route(m));
                Parity.grpc(
                        softly,
                        twins,
                        "Model/Predict" + in,
                        ch -> deadline(ModelGrpc.newBlockingStub(ch)),
                        s -> s.predict(m));
                Parity.grpc(
                        softly,
                        twins,
                        "Router/Route" + in,
                        ch -> deadline(RouterGrpc.newBlockingStub(ch)),
                        s -> s.route(m));
                Parity.grpc(
                        softly,
                        twins,
                        "Transformer/TransformInput" + in,
                        ch -> deadline(TransformerGrpc.newBlockingStub(ch)),
                        s -> s.transformInput(m));
                Parity.grpc(
                        softly,
                        twins,
                        "OutputTransformer/TransformOutput" + in,
                        ch -> deadline(OutputTransformerGrpc.newBlockingStub(ch)),
                        s -> s.transformOutput(m));
                Parity.grpc(
                        softly,
                        twins,
                        "Seldon/Predict" + in,
                        ch -> deadline(SeldonGrpc.newBlockingStub(ch)),
                        s -> s.predict(m));
            }
            for (SeldonMessageList l : LISTS) {
                String in = " <- " + SeldonJson.print(l);
                Parity.grpc(
                        softly,
                        twins,
                        "Generic/Aggregate" + in,
                        ch -> deadline(GenericGrpc.newBlockingStub(ch)),
                        s -> s.aggregate(l));
                Parity.grpc(
                        softly,
                        twins,
                        "Combiner/Aggregate" + in,
                        ch -> deadline(CombinerGrpc.newBlockingStub(ch)),
                        s -> s.aggregate(l));
            }
            for (Feedback f : FEEDBACKS) {
                String in = " <- " + SeldonJson.print(f);
                Parity.grpc(
                        softly,
                        twins,
                        "Generic/SendFeedback" + in,
                        ch -> deadline(GenericGrpc.newBlockingStub(ch)),
                        s -> s.sendFeedback(f));
                Parity.grpc(
                        softly,
                        twins,
                        "Model/SendFeedback" + in,
                        ch -> deadline(ModelGrpc.newBlockingStub(ch)),
                        s -> s.sendFeedback(f));
                Parity.grpc(
                        softly,
                        twins,
                        "Router/SendFeedback" + in,
                        ch -> deadline(RouterGrpc.newBlockingStub(ch)),
                        s -> s.sendFeedback(f));
                Parity.grpc(
                        softly,
                        twins,
                        "Seldon/SendFeedback" + in,
                        ch -> deadline(SeldonGrpc.newBlockingStub(ch)),
                        s -> s.sendFeedback(f));
            }
            Parity.grpc(
                    softly,
                    twins,
                    "Model/Metadata",
                    ch -> deadline(ModelGrpc.newBlockingStub(ch)),
                    s -> s.metadata(Empty.getDefaultInstance()));
            for (String name : List.of("", "node", "other")) {
                Parity.grpc(
                        softly,
                        twins,
                        "Seldon/ModelMetadata name=" + name,
                        ch -> deadline(SeldonGrpc.newBlockingStub(ch)),
                        s -> s.modelMetadata(SeldonModelMetadataRequest.newBuilder()
                                .setName(name)
                                .build()));
            }
            Parity.grpc(
                    softly,
                    twins,
                    "Seldon/GraphMetadata",
                    ch -> deadline(SeldonGrpc.newBlockingStub(ch)),
                    s -> s.graphMetadata(Empty.getDefaultInstance()));
            softly.assertAll();
        }
    }
}
