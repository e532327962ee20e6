package dev.seldonj.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seldonj.api.protocol.SeldonJson;
import dev.seldonj.components.Components;
import dev.seldonj.wrapper.ComponentParameters;
import dev.seldonj.wrapper.SeldonServer;
import dev.seldonj.wrapper.WrapperConfig;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.seldon.protos.GenericGrpc;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * Router, transformer and combiner: the same component written for Seldon's Python wrapper and for
 * ours answers the same requests with the same messages (meta merging, naming, payload form), over
 * REST and gRPC.
 */
class PythonJavaParityIT {

    private static final String PARAMS = "[{\"name\":\"child\",\"value\":\"1\",\"type\":\"INT\"}]";

    /** Starts both twins with the same unit id, image and parameters, and hands their endpoints to {@code check}. */
    private static void twins(
            String pythonClass,
            String serviceType,
            String javaComponent,
            String params,
            BiConsumer<String[], ManagedChannel[]> check)
            throws InterruptedException {
        ComponentParameters parameters =
                params == null ? ComponentParameters.empty() : ComponentParameters.parse(params);
        PythonMicroservice.Builder builder = PythonMicroservice.builder(pythonClass)
                .serviceType(serviceType)
                .unitId("node")
                .image("img:1");
        if (params != null) {
            builder.parameters(params);
        }
        try (PythonMicroservice python = builder.start();
                SeldonServer java = SeldonServer.start(
                        Components.create(javaComponent, parameters),
                        WrapperConfig.ephemeral().withUnit("node", "img:1").withParameters(parameters))) {
            ManagedChannel py = ManagedChannelBuilder.forTarget(python.grpcEndpoint())
                    .usePlaintext()
                    .build();
            ManagedChannel jv = ManagedChannelBuilder.forAddress("127.0.0.1", java.grpcPort())
                    .usePlaintext()
                    .build();
            try {
                check.accept(
                        new String[] {python.httpEndpoint(), "127.0.0.1:" + java.httpPort()},
                        new ManagedChannel[] {py, jv});
            } finally {
                py.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                jv.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void combiner() throws InterruptedException {
        String list =
                "[{\"meta\":{\"puid\":\"p\",\"tags\":{\"a\":1},\"requestPath\":{\"x\":\"i:1\"}},\"data\":{\"ndarray\":[[1,2]]}},"
                        + "{\"meta\":{\"tags\":{\"b\":\"two\"},\"requestPath\":{\"y\":\"i:2\"}},\"data\":{\"ndarray\":[[3,5]]}}]";
        twins("AverageCombiner", "COMBINER", "average-combiner", null, (http, grpc) -> {
            assertThat(Calls.message(http[1], "/aggregate", list))
                    .isEqualTo(Calls.message(http[0], "/aggregate", list));
            String wrapped = "{\"seldonMessages\":"
                    + list.replace("ndarray\":[[3,5]]", "tensor\":{\"shape\":[1,2],\"values\":[3,5]}") + "}";
            assertThat(Calls.message(http[1], "/aggregate", wrapped))
                    .isEqualTo(Calls.message(http[0], "/aggregate", wrapped));
            var request = SeldonJson.parseMessageList(list);
            assertThat(GenericGrpc.newBlockingStub(grpc[1]).aggregate(request))
                    .isEqualTo(GenericGrpc.newBlockingStub(grpc[0]).aggregate(request));
        });
    }

    @Test
    void router() throws InterruptedException {
        twins("FixedRouter", "ROUTER", "fixed-router", PARAMS, (http, grpc) -> {
            for (String request : new String[] {
                "{\"meta\":{\"puid\":\"r\",\"tags\":{\"t\":1}},\"data\":{\"ndarray\":[[7]]}}",
                "{\"data\":{\"tensor\":{\"shape\":[1,1],\"values\":[7]}}}",
                "{\"strData\":\"x\"}"
            }) {
                assertThat(Calls.message(http[1], "/route", request))
                        .as(request)
                        .isEqualTo(Calls.message(http[0], "/route", request));
                SeldonMessage m = SeldonJson.parseMessage(request);
                assertThat(GenericGrpc.newBlockingStub(grpc[1]).route(m))
                        .as(request)
                        .isEqualTo(GenericGrpc.newBlockingStub(grpc[0]).route(m));
            }
        });
    }

    @Test
    void transformer() throws InterruptedException {
        twins("MeanTransformer", "TRANSFORMER", "mean-transformer", null, (http, grpc) -> {
            for (String request : new String[] {
                "{\"meta\":{\"puid\":\"t\"},\"data\":{\"names\":[\"a\",\"b\"],\"ndarray\":[[1,2],[3,7]]}}",
                "{\"data\":{\"tensor\":{\"shape\":[2,3],\"values\":[0.1,0.7,0.3,9,2,2]}}}",
                "{\"data\":{\"ndarray\":[[4,4]]}}"
            }) {
                assertThat(Calls.message(http[1], "/transform-input", request))
                        .as(request)
                        .isEqualTo(Calls.message(http[0], "/transform-input", request));
                SeldonMessage m = SeldonJson.parseMessage(request);
                assertThat(GenericGrpc.newBlockingStub(grpc[1]).transformInput(m))
                        .as(request)
                        .isEqualTo(GenericGrpc.newBlockingStub(grpc[0]).transformInput(m));
            }
        });
    }
}
