package dev.seldonj.compat;

import static dev.seldonj.compat.RawHttp.get;
import static dev.seldonj.compat.RawHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Empty;
import dev.seldonj.api.protocol.SeldonJson;
import io.grpc.Status;
import io.seldon.protos.ModelGrpc;
import io.seldon.protos.OutputTransformerGrpc;
import io.seldon.protos.PredictionProtos.SeldonModelMetadataRequest;
import io.seldon.protos.SeldonGrpc;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.assertj.core.api.junit.jupiter.InjectSoftAssertions;
import org.assertj.core.api.junit.jupiter.SoftAssertionsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Start-up: typed {@code PREDICTIVE_UNIT_PARAMETERS} (and {@code --parameters}), a bad parameter,
 * {@code MODEL_METADATA}, unit identity from the environment, {@code --workers}/{@code --threads},
 * {@code --debug}, {@code Module.Class} interface names and unknown flags, each compared with Seldon's
 * wrapper. Where Seldon's wrapper crashes with a stack trace that does not name the cause (a bad
 * parameter), ours must stop cleanly, non-zero, naming the parameter: asserted, and documented below.
 */
@ExtendWith(SoftAssertionsExtension.class)
class PythonWrapperParityStartupIT {

    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);

    @InjectSoftAssertions
    private SoftAssertions softly;

    private void predictAndMetadataAlike(WrapperTwins twins) {
        Parity.rest(
                softly,
                twins,
                200,
                json("/predict", "{\"data\":{\"ndarray\":[[1]]}}"),
                json("/api/v1.0/predictions", "{\"strData\":\"x\"}"),
                get("/metadata"),
                get("/health/status"));
        Parity.grpc(
                softly,
                twins,
                "Model/Predict",
                ch -> ModelGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS),
                s -> s.predict(SeldonJson.parseMessage("{\"data\":{\"ndarray\":[[1]]}}")));
        Parity.grpc(
                softly,
                twins,
                "Model/Metadata",
                ch -> ModelGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS),
                s -> s.metadata(Empty.getDefaultInstance()));
        Parity.grpc(
                softly,
                twins,
                "Seldon/ModelMetadata",
                ch -> SeldonGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS),
                s -> s.modelMetadata(SeldonModelMetadataRequest.getDefaultInstance()));
    }

    static final String TYPED_PARAMETERS = "["
            + "{\"name\":\"int_p\",\"value\":\"42\",\"type\":\"INT\"},"
            + "{\"name\":\"float_p\",\"value\":\"1.5\",\"type\":\"FLOAT\"},"
            + "{\"name\":\"double_p\",\"value\":\"-2.25e3\",\"type\":\"DOUBLE\"},"
            + "{\"name\":\"str_p\",\"value\":\"h\\u00e9llo world\",\"type\":\"STRING\"},"
            + "{\"name\":\"bool_p\",\"value\":\"true\",\"type\":\"BOOL\"},"
            + "{\"name\":\"b_false\",\"value\":\"False\",\"type\":\"BOOL\"},"
            + "{\"name\":\"b_yes\",\"value\":\"yes\",\"type\":\"BOOL\"},"
            + "{\"name\":\"b_no\",\"value\":\"n\",\"type\":\"BOOL\"},"
            + "{\"name\":\"b_on\",\"value\":\"ON\",\"type\":\"BOOL\"},"
            + "{\"name\":\"b_off\",\"value\":\"off\",\"type\":\"BOOL\"},"
            + "{\"name\":\"b_one\",\"value\":\"1\",\"type\":\"BOOL\"},"
            + "{\"name\":\"b_zero\",\"value\":\"0\",\"type\":\"BOOL\"},"
            + "{\"name\":\"int_negative\",\"value\":\"-7\",\"type\":\"INT\"},"
            + "{\"name\":\"int_spaces\",\"value\":\" 12 \",\"type\":\"INT\"},"
            + "{\"name\":\"int_underscores\",\"value\":\"1_000\",\"type\":\"INT\"},"
            + "{\"name\":\"int_number\",\"value\":7,\"type\":\"INT\"},"
            + "{\"name\":\"float_int\",\"value\":\"3\",\"type\":\"FLOAT\"},"
            + "{\"name\":\"float_inf\",\"value\":\"inf\",\"type\":\"FLOAT\"},"
            + "{\"name\":\"double_exp\",\"value\":\"1E-5\",\"type\":\"DOUBLE\"},"
            + "{\"name\":\"str_empty\",\"value\":\"\",\"type\":\"STRING\"},"
            + "{\"name\":\"str_number\",\"value\":5,\"type\":\"STRING\"},"
            + "{\"name\":\"str_json\",\"value\":\"{\\\"a\\\": [1, 2]}\",\"type\":\"STRING\"}"
            + "]";

    @Test
    void typedParameters() {
        try (WrapperTwins twins = WrapperTwins.start("ParamsModel", b -> b.parameters(TYPED_PARAMETERS))) {
            predictAndMetadataAlike(twins);
        }
        // the --parameters flag instead of the environment; and no parameters at all (the class's defaults)
        try (WrapperTwins twins = WrapperTwins.start("ParamsModel", b -> b.args("--parameters", TYPED_PARAMETERS))) {
            predictAndMetadataAlike(twins);
        }
        try (WrapperTwins twins = WrapperTwins.start("ParamsModel", b -> b.parameters("[]"))) {
            predictAndMetadataAlike(twins);
        }
    }

    /**
     * A parameter that does not parse stops both wrappers before they serve. Seldon's wrapper exits 1 with
     * a Python stack trace that ends in {@code SeldonMicroserviceException} without a message (or a bare
     * {@code ValueError} for BOOL), so it never names the parameter; ours must exit non-zero, name the
     * parameter, and print no stack trace. A difference by design: asserted as such.
     */
    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "int_p|abc|INT",
                "float_p|one point five|FLOAT",
                "double_p|1.2.3|DOUBLE",
                "bool_p|maybe|BOOL",
                "int_p|42|LONG"
            })
    void badParameterStopsTheWrapperNamingIt(String name, String value, String type) {
        String parameters = "[{\"name\":\"str_p\",\"value\":\"fine\",\"type\":\"STRING\"},{\"name\":\"" + name
                + "\",\"value\":\"" + value + "\",\"type\":\"" + type + "\"}]";
        Processes.Result seldon = PythonMicroservice.builder("ParamsModel")
                .wrapper(PythonWrapper.SELDON)
                .parameters(parameters)
                .runToExit(EXIT_TIMEOUT);
        assertThat(seldon.exitCode())
                .as("Seldon's wrapper: %s", seldon.output())
                .isNotZero();
        assertThat(seldon.output())
                .as("Seldon's wrapper crashes with a stack trace")
                .contains("Traceback");
        Processes.Result ours = PythonMicroservice.builder("ParamsModel")
                .wrapper(WrapperTwins.OURS)
                .parameters(parameters)
                .runToExit(EXIT_TIMEOUT);
        softly.assertThat(ours.exitCode())
                .as("ours exits non-zero: %s", ours.output())
                .isNotZero();
        if (WrapperTwins.OURS
                != PythonWrapper.SELDON) { // (Seldon's own names nothing: not checked in self-parity runs)
            softly.assertThat(ours.output()).as("ours names the parameter").contains(name);
            softly.assertThat(ours.output()).as("ours stops cleanly").doesNotContain("Traceback");
        }
    }

    /** Unparsable {@code PREDICTIVE_UNIT_PARAMETERS}: Seldon's wrapper crashes on the JSON; ours says the parameters are. */
    @Test
    void malformedParametersJson() {
        Processes.Result seldon = PythonMicroservice.builder("ParamsModel")
                .wrapper(PythonWrapper.SELDON)
                .parameters("[{\"name\":")
                .runToExit(EXIT_TIMEOUT);
        assertThat(seldon.exitCode()).as(seldon.output()).isNotZero();
        Processes.Result ours = PythonMicroservice.builder("ParamsModel")
                .wrapper(WrapperTwins.OURS)
                .parameters("[{\"name\":")
                .runToExit(EXIT_TIMEOUT);
        softly.assertThat(ours.exitCode()).as(ours.output()).isNotZero();
        if (WrapperTwins.OURS != PythonWrapper.SELDON) {
            softly.assertThat(ours.output())
                    .as("ours says the parameters are the problem")
                    .containsIgnoringCase("parameters");
            softly.assertThat(ours.output()).as("ours stops cleanly").doesNotContain("Traceback");
        }
    }

    @Test
    void modelMetadataFromTheEnvironment() {
        String yaml = "name: from-env\nversions: [v9, v10]\ncustom:\n  team: ml\n  tier: gold\n";
        String json =
                "{\"platform\":\"env-platform\",\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,4]}],"
                        + "\"outputs\":[{\"messagetype\":\"jsonData\",\"schema\":{\"type\":\"object\"}}]}";
        for (String metadata : List.of(yaml, json)) {
            try (WrapperTwins twins = WrapperTwins.start("ContractModel", b -> b.env("MODEL_METADATA", metadata))) {
                predictAndMetadataAlike(twins);
                Parity.rest(softly, twins, 200, get("/api/v1.0/metadata"));
            }
            try (WrapperTwins twins = WrapperTwins.start("MyModel", b -> b.env("MODEL_METADATA", metadata))) {
                predictAndMetadataAlike(twins);
            }
        }
        // metadata that does not validate: REST 500 MICROSERVICE_BAD_METADATA in both; over gRPC Seldon's wrapper
        // answers an empty message, ours the same error as REST (INTERNAL)
        try (WrapperTwins twins = WrapperTwins.start("MyModel", b -> b.env("MODEL_METADATA", "platform: [1, 2]"))) {
            Parity.rest(softly, twins, 500, get("/metadata"), get("/api/v1.0/metadata"));
            Parity.grpcCleanerError(
                    softly,
                    twins,
                    "Model/Metadata",
                    ch -> ModelGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS),
                    s -> s.metadata(Empty.getDefaultInstance()),
                    Status.Code.INTERNAL,
                    "Model metadata unavailable");
            Parity.rest(softly, twins, 200, json("/predict", "{\"data\":{\"ndarray\":[[1]]}}"));
        }
        // YAML that does not parse is ignored (init_metadata and the defaults remain)
        try (WrapperTwins twins =
                WrapperTwins.start("ContractModel", b -> b.env("MODEL_METADATA", "{name: [unclosed"))) {
            predictAndMetadataAlike(twins);
        }
    }

    /** No {@code PREDICTIVE_UNIT_ID}/{@code PREDICTIVE_UNIT_IMAGE}: no requestPath, metadata named after nothing. */
    @Test
    void withoutUnitIdentity() {
        try (WrapperTwins twins = WrapperTwins.start(
                "ContractModel", b -> b.unsetEnv("PREDICTIVE_UNIT_ID").unsetEnv("PREDICTIVE_UNIT_IMAGE"))) {
            predictAndMetadataAlike(twins);
        }
        try (WrapperTwins twins =
                WrapperTwins.start("MyModel", b -> b.unitId("only-id").unsetEnv("PREDICTIVE_UNIT_IMAGE"))) {
            predictAndMetadataAlike(twins);
        }
    }

    @Test
    void workersThreadsDebugAndModuleDotClass() {
        try (WrapperTwins twins =
                WrapperTwins.start("ContractModel", b -> b.workers(2).threads(3))) {
            for (int i = 0; i < 4; i++) {
                predictAndMetadataAlike(twins);
            }
        }
        try (WrapperTwins twins = WrapperTwins.start("ContractModel", b -> b.args("--debug"))) {
            predictAndMetadataAlike(twins);
        }
        try (WrapperTwins twins = WrapperTwins.start(
                "ContractModel", b -> b.args("--single-threaded", "1", "--grpc-workers", "1", "--grpc-threads", "2"))) {
            predictAndMetadataAlike(twins);
        }
        try (WrapperTwins twins = WrapperTwins.start("MyModel.MyModel")) {
            predictAndMetadataAlike(twins);
        }
    }

    @Test
    void unknownFlagStopsBoth() {
        Processes.Result seldon = PythonMicroservice.builder("MyModel")
                .wrapper(PythonWrapper.SELDON)
                .args("--no-such-flag")
                .runToExit(EXIT_TIMEOUT);
        assertThat(seldon.exitCode()).as(seldon.output()).isNotZero();
        Processes.Result ours = PythonMicroservice.builder("MyModel")
                .wrapper(WrapperTwins.OURS)
                .args("--no-such-flag")
                .runToExit(EXIT_TIMEOUT);
        softly.assertThat(ours.exitCode())
                .as("exit code (Seldon's %s); ours printed:\n%s", seldon.exitCode(), ours.output())
                .isEqualTo(seldon.exitCode());
        softly.assertThat(ours.output()).as("ours names the flag").contains("--no-such-flag");
    }

    /**
     * {@code --service-type OUTPUT_TRANSFORMER}: Seldon's 1.18.2 argparse rejects it (exit 2: its choices are
     * MODEL, ROUTER, TRANSFORMER, COMBINER, OUTLIER_DETECTOR), so output transformers are started there as
     * TRANSFORMER; ours accepts it (the operator's graph type) and must then serve exactly what Seldon's
     * serves for the class started as TRANSFORMER. A difference by design.
     */
    @Test
    void outputTransformerServiceType() {
        Processes.Result seldon = PythonMicroservice.builder("ContractOutputTransformer")
                .wrapper(PythonWrapper.SELDON)
                .serviceType("OUTPUT_TRANSFORMER")
                .runToExit(EXIT_TIMEOUT);
        assertThat(seldon.exitCode()).as(seldon.output()).isEqualTo(2);
        assertThat(seldon.output()).contains("invalid choice: 'OUTPUT_TRANSFORMER'");
        if (WrapperTwins.OURS == PythonWrapper.SELDON) {
            return;
        }
        try (WrapperTwins twins = WrapperTwins.start(
                "ContractOutputTransformer",
                b -> b.serviceType("TRANSFORMER"),
                b -> b.serviceType("OUTPUT_TRANSFORMER"))) {
            Parity.rest(
                    softly,
                    twins,
                    200,
                    RawHttp.jsonPosts(List.of("/transform-output"), PythonWrapperParityIT.PAYLOADS));
            for (var m : PythonWrapperParityGrpcIT.MESSAGES) {
                Parity.grpc(
                        softly,
                        twins,
                        "OutputTransformer/TransformOutput <- " + SeldonJson.print(m),
                        ch -> OutputTransformerGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS),
                        s -> s.transformOutput(m));
            }
        }
    }
}
