package dev.seldonj.compat;

import static dev.seldonj.compat.RawHttp.get;
import static dev.seldonj.compat.RawHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.seldonj.api.protocol.SeldonJson;
import io.grpc.Channel;
import io.seldon.protos.GenericGrpc;
import io.seldon.protos.ModelGrpc;
import io.seldon.protos.RouterGrpc;
import io.seldon.protos.SeldonGrpc;
import io.seldon.protos.TransformerGrpc;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.assertj.core.api.junit.jupiter.InjectSoftAssertions;
import org.assertj.core.api.junit.jupiter.SoftAssertionsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Custom metrics: after the same requests, our wrapper's metrics port shows at {@code /prometheus} the
 * same metrics as Seldon's (names, types, label names and values, sample values), ignoring the value of
 * the {@code worker_id} label (a process id) and the HELP text; COUNTER, GAUGE and TIMER (a histogram
 * with Seldon's buckets) from {@code metrics()} and from a raw answer's {@code meta.metrics}, the
 * feedback reward counters, the {@code method} label of every route, the unit's labels from
 * {@code PREDICTIVE_UNIT_*}, {@code SELDON_DEPLOYMENT_ID}, {@code PREDICTOR_ID} and
 * {@code PREDICTOR_LABELS}; {@code INCLUDE_METRICS_IN_CLIENT_RESPONSE=false}; the default metrics path.
 *
 * <p>Seldon's wrapper serves REST and gRPC from different processes, each with its own series (its own
 * {@code worker_id}): a test that calls both compares the two series with ours.
 */
@ExtendWith(SoftAssertionsExtension.class)
class PythonWrapperParityMetricsIT {

    @InjectSoftAssertions
    private SoftAssertions softly;

    /** The labels a Seldon operator's pod gives the unit, so that none is a default. */
    private static UnaryOperator<PythonMicroservice.Builder> unit(UnaryOperator<PythonMicroservice.Builder> more) {
        return b -> more.apply(b.image("seldonj/metrics-twin:2.5")
                .env("SELDON_DEPLOYMENT_ID", "my-sdep")
                .env("PREDICTOR_ID", "main")
                .env("PREDICTOR_LABELS", "{\"version\":\"v7\",\"other\":\"x\"}")
                .awaitMetrics());
    }

    private static final Pattern SAMPLE =
            Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})?\\s+(\\S+)(?:\\s+\\S+)?$");
    private static final Pattern LABEL =
            Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,?");

    /**
     * The exposition text as a sorted list of lines: one {@code # TYPE} line per metric name, and each
     * sample with its labels sorted by name and the {@code worker_id} value replaced by {@code *}.
     */
    static List<String> normalise(String exposition) {
        TreeSet<String> types = new TreeSet<>();
        List<String> samples = new ArrayList<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("# HELP")) {
                continue;
            }
            if (line.startsWith("#")) {
                types.add(line.strip());
                continue;
            }
            Matcher m = SAMPLE.matcher(line.strip());
            if (!m.matches()) {
                samples.add("UNPARSED " + line);
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                int end = 0;
                while (l.find() && l.start() == end) {
                    labels.put(l.group(1), l.group(1).equals("worker_id") ? "*" : l.group(2));
                    end = l.end();
                }
                if (end != m.group(2).length()) {
                    samples.add("UNPARSED LABELS " + line);
                    continue;
                }
            }
            StringBuilder s = new StringBuilder(m.group(1)).append('{');
            labels.forEach((k, v) -> s.append(k).append("=\"").append(v).append("\","));
            samples.add(s.append("} ").append(m.group(3)).toString());
        }
        samples.sort(null);
        List<String> all = new ArrayList<>(types);
        all.addAll(samples);
        return all;
    }

    /** The lines of {@code seldon} missing from {@code ours} ("- ...") and the extra lines of {@code ours} ("+ ..."). */
    static List<String> difference(List<String> seldon, List<String> ours) {
        List<String> missing = new ArrayList<>(seldon);
        List<String> extra = new ArrayList<>();
        for (String line : ours) {
            if (!missing.remove(line)) {
                extra.add(line);
            }
        }
        List<String> diff = new ArrayList<>();
        missing.forEach(l -> diff.add("- " + l));
        extra.forEach(l -> diff.add("+ " + l));
        return diff;
    }

    /** Scrapes both metrics ports and records any difference of the normalised expositions and Content-Type. */
    private void assertSameMetrics(WrapperTwins twins, String path, String label) {
        RawHttp.Answer seldon = RawHttp.send(twins.seldon.metricsEndpoint(), get(path));
        RawHttp.Answer ours = RawHttp.send(twins.ours.metricsEndpoint(), get(path));
        assertThat(seldon.status()).as("Seldon's %s: %s", path, seldon).isEqualTo(200);
        softly.assertThat(ours.status()).as("%s: GET %s status", label, path).isEqualTo(seldon.status());
        // Seldon's wrapper writes the charset twice ("...; charset=utf-8; charset=utf-8"); ours once
        softly.assertThat(ours.contentType())
                .as("%s: GET %s Content-Type", label, path)
                .isEqualTo(seldon.contentType().replace("; charset=utf-8; charset=utf-8", "; charset=utf-8"));
        softly.assertThat(difference(normalise(seldon.text()), normalise(ours.text())))
                .as(
                        "%s: the metrics after the same requests (TYPE lines and samples, labels sorted, worker_id values as *):"
                                + " lines only in Seldon's (-) and only in ours (+)",
                        label)
                .isEmpty();
    }

    private static void restCalls(WrapperTwins twins, List<RawHttp.Request> requests) {
        for (RawHttp.Request r : requests) {
            RawHttp.send(twins.seldon.httpEndpoint(), r);
            RawHttp.send(twins.ours.httpEndpoint(), r);
        }
    }

    private static final List<RawHttp.Request> MODEL_REQUESTS = List.of(
            json("/predict", "{\"data\":{\"ndarray\":[[1,2]]}}"),
            json("/api/v1.0/predictions", "{\"strData\":\"x\"}"),
            json("/api/v0.1/predictions", "{\"jsonData\":{\"a\":1}}"),
            json("/transform-input", "{\"data\":{\"ndarray\":[[1,2]]}}"),
            json("/transform-output", "{\"data\":{\"ndarray\":[[1,2]]}}"),
            get("/health/status"),
            json("/send-feedback", PythonWrapperParityIT.FEEDBACKS.get(0)),
            json("/api/v1.0/feedback", PythonWrapperParityIT.FEEDBACKS.get(1)),
            json("/send-feedback", PythonWrapperParityIT.FEEDBACKS.get(2)),
            json("/predict", "{\"meta\":{}}"));

    private static void grpcModelCalls(Channel channel) {
        var model = ModelGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        var generic = GenericGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        var seldon = SeldonGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        model.predict(SeldonJson.parseMessage("{\"data\":{\"ndarray\":[[1,2]]}}"));
        seldon.predict(SeldonJson.parseMessage("{\"strData\":\"s\"}"));
        generic.transformInput(SeldonJson.parseMessage("{\"data\":{\"tensor\":{\"shape\":[1,1],\"values\":[1]}}}"));
        generic.transformOutput(SeldonJson.parseMessage("{\"jsonData\":{\"a\":1}}"));
        model.sendFeedback(SeldonJson.parseFeedback(PythonWrapperParityIT.FEEDBACKS.get(0)));
        seldon.sendFeedback(SeldonJson.parseFeedback(PythonWrapperParityIT.FEEDBACKS.get(1)));
    }

    @Test
    void contractModelOverRest() {
        try (WrapperTwins twins = WrapperTwins.start("ContractModel", unit(b -> b))) {
            assertSameMetrics(twins, "/prometheus", "before any request");
            restCalls(twins, MODEL_REQUESTS);
            assertSameMetrics(twins, "/prometheus", "ContractModel after REST requests");
            restCalls(twins, MODEL_REQUESTS);
            assertSameMetrics(twins, "/prometheus", "ContractModel after the REST requests twice");
        }
    }

    @Test
    void contractModelOverGrpcThenRest() {
        try (WrapperTwins twins = WrapperTwins.start("ContractModel", unit(b -> b))) {
            grpcModelCalls(twins.seldonChannel);
            grpcModelCalls(twins.oursChannel);
            assertSameMetrics(twins, "/prometheus", "ContractModel after gRPC requests");
            restCalls(twins, MODEL_REQUESTS);
            assertSameMetrics(twins, "/prometheus", "ContractModel after gRPC and REST requests");
        }
    }

    @Test
    void rawMetricsAndRouterCombinerTransformerMethods() {
        try (WrapperTwins twins = WrapperTwins.start("RawModel", unit(b -> b))) {
            restCalls(
                    twins,
                    List.of(
                            json("/predict", "{\"data\":{\"ndarray\":[[1]]}}"),
                            json("/transform-input", "{\"strData\":\"a\"}"),
                            json("/transform-output", "{\"strData\":\"a\"}"),
                            json("/aggregate", PythonWrapperParityIT.LIST),
                            json("/send-feedback", PythonWrapperParityIT.FEEDBACKS.get(0)),
                            json("/route", "{\"strData\":\"a\"}")));
            assertSameMetrics(twins, "/prometheus", "RawModel after REST requests");
            for (Channel channel : List.of(twins.seldonChannel, twins.oursChannel)) {
                ModelGrpc.newBlockingStub(channel).predict(SeldonJson.parseMessage("{\"strData\":\"a\"}"));
                GenericGrpc.newBlockingStub(channel).aggregate(SeldonJson.parseMessageList(PythonWrapperParityIT.LIST));
                GenericGrpc.newBlockingStub(channel)
                        .sendFeedback(SeldonJson.parseFeedback(PythonWrapperParityIT.FEEDBACKS.get(1)));
            }
            assertSameMetrics(twins, "/prometheus", "RawModel after REST and gRPC requests");
        }
        try (WrapperTwins twins = WrapperTwins.start("ContractRouter", unit(b -> b.serviceType("ROUTER")))) {
            restCalls(
                    twins,
                    List.of(
                            json("/route", "{\"data\":{\"ndarray\":[[1]]}}"),
                            json("/route", "{\"strData\":\"a\"}"),
                            json("/send-feedback", PythonWrapperParityIT.FEEDBACKS.get(1))));
            for (Channel channel : List.of(twins.seldonChannel, twins.oursChannel)) {
                RouterGrpc.newBlockingStub(channel).route(SeldonJson.parseMessage("{\"data\":{\"ndarray\":[[0]]}}"));
            }
            assertSameMetrics(twins, "/prometheus", "ContractRouter");
        }
        try (WrapperTwins twins = WrapperTwins.start("ContractCombiner", unit(b -> b.serviceType("COMBINER")))) {
            restCalls(
                    twins,
                    List.of(
                            json("/aggregate", PythonWrapperParityIT.LIST),
                            json("/aggregate", "{\"seldonMessages\":" + PythonWrapperParityIT.LIST + "}")));
            assertSameMetrics(twins, "/prometheus", "ContractCombiner");
        }
        try (WrapperTwins twins = WrapperTwins.start("ContractTransformer", unit(b -> b.serviceType("TRANSFORMER")))) {
            restCalls(twins, List.of(json("/transform-input", "{\"data\":{\"ndarray\":[[1]]}}")));
            for (Channel channel : List.of(twins.seldonChannel, twins.oursChannel)) {
                TransformerGrpc.newBlockingStub(channel).transformInput(SeldonJson.parseMessage("{\"strData\":\"a\"}"));
            }
            assertSameMetrics(twins, "/prometheus", "ContractTransformer");
        }
        try (WrapperTwins twins =
                WrapperTwins.start("ContractOutputTransformer", unit(b -> b.serviceType("TRANSFORMER")))) {
            restCalls(
                    twins,
                    List.of(
                            json("/transform-output", "{\"data\":{\"ndarray\":[[1]]}}"),
                            json("/transform-output", "{\"strData\":\"ab\"}")));
            assertSameMetrics(twins, "/prometheus", "ContractOutputTransformer");
        }
    }

    /** {@code INCLUDE_METRICS_IN_CLIENT_RESPONSE=false}: answers without {@code meta.metrics}; metrics still recorded. */
    @Test
    void metricsLeftOutOfAnswers() {
        for (String cls : List.of("ContractModel", "RawModel")) {
            try (WrapperTwins twins =
                    WrapperTwins.start(cls, unit(b -> b.env("INCLUDE_METRICS_IN_CLIENT_RESPONSE", "false")))) {
                Parity.rest(softly, twins, 200, MODEL_REQUESTS.subList(0, 9));
                for (var m : PythonWrapperParityGrpcIT.MESSAGES.subList(0, 11)) {
                    Parity.grpc(
                            softly,
                            twins,
                            cls + " Model/Predict <- " + SeldonJson.print(m),
                            ch -> ModelGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS),
                            s -> s.predict(m));
                    Parity.grpc(
                            softly,
                            twins,
                            cls + " Generic/TransformInput <- " + SeldonJson.print(m),
                            ch -> GenericGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS),
                            s -> s.transformInput(m));
                }
                for (var f : PythonWrapperParityGrpcIT.FEEDBACKS) {
                    Parity.grpc(
                            softly,
                            twins,
                            cls + " Model/SendFeedback <- " + SeldonJson.print(f),
                            ch -> ModelGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS),
                            s -> s.sendFeedback(f));
                }
                assertSameMetrics(twins, "/prometheus", cls + " with INCLUDE_METRICS_IN_CLIENT_RESPONSE=false");
            }
        }
    }

    /** Without {@code PREDICTIVE_UNIT_METRICS_ENDPOINT} the metrics are at the wrappers' default, {@code /metrics}. */
    @Test
    void defaultMetricsPath() {
        try (WrapperTwins twins =
                WrapperTwins.start("ContractModel", unit(b -> b.unsetEnv("PREDICTIVE_UNIT_METRICS_ENDPOINT")))) {
            restCalls(twins, MODEL_REQUESTS.subList(0, 3));
            assertSameMetrics(twins, "/metrics", "ContractModel on the default path");
            RawHttp.Answer seldon = RawHttp.send(twins.seldon.metricsEndpoint(), get("/prometheus"));
            RawHttp.Answer ours = RawHttp.send(twins.ours.metricsEndpoint(), get("/prometheus"));
            softly.assertThat(ours.status())
                    .as("GET /prometheus when the path is /metrics: Seldon %s, ours %s", seldon, ours)
                    .isEqualTo(seldon.status());
        }
    }
}
