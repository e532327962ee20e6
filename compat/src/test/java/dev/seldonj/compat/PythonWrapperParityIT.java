package dev.seldonj.compat;

import static dev.seldonj.compat.RawHttp.form;
import static dev.seldonj.compat.RawHttp.get;
import static dev.seldonj.compat.RawHttp.json;
import static dev.seldonj.compat.RawHttp.jsonPosts;
import static dev.seldonj.compat.RawHttp.multipart;
import static dev.seldonj.compat.RawHttp.query;
import static dev.seldonj.compat.RawHttp.raw;
import static dev.seldonj.compat.RawHttp.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.seldonj.compat.RawHttp.Part;
import dev.seldonj.compat.RawHttp.Request;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.assertj.core.api.junit.jupiter.InjectSoftAssertions;
import org.assertj.core.api.junit.jupiter.SoftAssertionsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Our Python wrapper ({@code .venv-wrapper}, package {@code seldonj_wrapper}) answers every REST request
 * exactly as Seldon's ({@code seldon-core} 1.18.2 in {@code .venv}): the same status code, Content-Type and
 * body bytes (Flask's compact JSON with sorted keys and a trailing newline), for the same Python class
 * started with the same unit id, image, parameters and environment ({@link WrapperTwins}).
 *
 * <p>Covered: every route Seldon's wrapper serves ({@code /predict} GET and POST,
 * {@code /api/v1.0/predictions}, {@code /api/v0.1/predictions}, {@code /send-feedback},
 * {@code /api/v1.0/feedback}, {@code /api/v0.1/feedback}, {@code /transform-input},
 * {@code /transform-output}, {@code /route}, {@code /aggregate} with a bare list and with
 * {@code seldonMessages}, {@code /health/ping}, {@code /health/status}, {@code /api/v1.0/health/status},
 * {@code /metadata}, {@code /api/v1.0/metadata}); the body as JSON, as a form field {@code json=}, as a
 * query parameter {@code ?json=} and as multipart form data (strData as text and as a file, binData as a
 * file); ndarray (1-D, 2-D, strings, mixed), tensor, strData, binData and jsonData payloads, with meta
 * (puid, tags, routing, requestPath, metrics); the user-class contract (meta passed to predict, tags,
 * metrics, class names, feature names, health status, metadata, load, send_feedback, the *_raw methods and
 * a raw answer's status code); every payload type a model can return; and the errors (malformed JSON, no
 * data, a user exception, a router answering a non-int, an unknown path or method). gRPC is in
 * {@link PythonWrapperParityGrpcIT}, metrics in {@link PythonWrapperParityMetricsIT}, start-up
 * (parameters, metadata, flags) in {@link PythonWrapperParityStartupIT}.
 *
 * <p>Not compared: {@code GET /seldon.json}, which serves the OpenAPI file shipped inside the seldon-core
 * package (its content is Seldon's, not something an Apache-2.0 reimplementation can copy).
 */
@ExtendWith(SoftAssertionsExtension.class)
class PythonWrapperParityIT {

    /** Every difference of a test, reported together when it ends. */
    @InjectSoftAssertions
    private SoftAssertions softly;

    static final String CONTRACT_PARAMS = "[{\"name\":\"factor\",\"value\":\"3\",\"type\":\"FLOAT\"},"
            + "{\"name\":\"label\",\"value\":\"p\\u00e9\",\"type\":\"STRING\"}]";

    /** Payloads every predict-like route must answer alike: 200 on a model that accepts anything. */
    static final List<String> PAYLOADS = List.of(
            "{\"data\":{\"ndarray\":[1,2,3]}}",
            "{\"data\":{\"ndarray\":[[1,2],[3,4]]}}",
            "{\"data\":{\"names\":[\"a\",\"b\"],\"ndarray\":[[1.5,2],[3,4.25]]}}",
            "{\"data\":{\"ndarray\":[[\"a\",\"b\"],[\"c\",\"d\"]]}}",
            "{\"data\":{\"ndarray\":[[1,\"a\"],[2.5,\"b\"]]}}",
            "{\"data\":{\"ndarray\":[]}}",
            "{\"data\":{}}",
            "{\"data\":{\"names\":[\"x\",\"y\",\"z\"],\"tensor\":{\"shape\":[1,3],\"values\":[1,2,3]}}}",
            "{\"data\":{\"tensor\":{\"shape\":[2,2],\"values\":[0.1,0.2,1e-7,1e22]}}}",
            "{\"data\":{\"ndarray\":[[0.1,-0.0,1.0,1e-7,123456789.125,1e300]]}}",
            "{\"strData\":\"hello\"}",
            "{\"strData\":\"h\\u00e9llo \\u2603 \\ud83d\\ude00\"}",
            "{\"binData\":\"AAEC/w==\"}",
            "{\"jsonData\":{\"b\":1,\"a\":[1,2.5,\"x\",null,true],\"n\":{\"k\":\"v\"}}}",
            "{\"jsonData\":[1,\"two\"]}",
            "{\"jsonData\":\"just a string\"}",
            "{\"meta\":{\"puid\":\"abc\",\"tags\":{\"t1\":\"v\",\"t2\":2,\"t3\":[1,{\"x\":null}]},\"routing\":{\"r\":1},"
                    + "\"requestPath\":{\"upstream\":\"img:0\"}},\"data\":{\"ndarray\":[[1,2]]}}",
            "{\"meta\":{\"puid\":\"def\",\"metrics\":[{\"key\":\"upstream\",\"type\":\"COUNTER\",\"value\":1}]},\"strData\":\"x\"}",
            "{\"meta\":{\"tags\":{\"model\":\"overridden by tags()\"},\"requestPath\":{\"node\":\"earlier:0\"}},"
                    + "\"jsonData\":{\"k\":1}}",
            "{\"data\":{\"names\":[\"a\"],\"ndarray\":[[1]]},\"unknownField\":{\"x\":1}}");

    static final List<String> FEEDBACKS = List.of(
            "{\"request\":{\"data\":{\"ndarray\":[[1,2]]}},\"response\":{\"data\":{\"ndarray\":[[0.5]]}},\"reward\":1}",
            "{\"request\":{\"data\":{\"names\":[\"a\",\"b\"],\"tensor\":{\"shape\":[1,2],\"values\":[1,2]}}},"
                    + "\"response\":{\"meta\":{\"routing\":{\"node\":2}},\"data\":{\"ndarray\":[[0.5]]}},\"reward\":0.5,"
                    + "\"truth\":{\"data\":{\"ndarray\":[[1,0]]}}}",
            "{\"request\":{\"meta\":{\"puid\":\"f\",\"tags\":{\"a\":1}},\"strData\":\"x\"},\"reward\":0}",
            "{\"request\":{\"jsonData\":{\"a\":1}},\"response\":{\"meta\":{\"routing\":{\"other\":1}}},\"reward\":2}",
            "{\"reward\":1}",
            "{}");

    static final String LIST = "[{\"meta\":{\"puid\":\"p\",\"tags\":{\"a\":1},\"requestPath\":{\"x\":\"i:1\"},"
            + "\"metrics\":[{\"key\":\"m\",\"type\":\"GAUGE\",\"value\":2}]},\"data\":{\"ndarray\":[[1,2]]}},"
            + "{\"meta\":{\"tags\":{\"b\":\"two\"},\"requestPath\":{\"y\":\"i:2\"}},\"data\":{\"tensor\":{\"shape\":[1,2],\"values\":[3,5]}}}]";
    static final List<String> AGGREGATES = List.of(
            LIST,
            "{\"seldonMessages\":" + LIST + "}",
            "[{\"data\":{\"names\":[\"a\",\"b\"],\"ndarray\":[[1,2],[3,4]]}},{\"data\":{\"ndarray\":[[5,6],[7,8]]}}]",
            "[{\"strData\":\"a\"},{\"strData\":\"b\"},{\"meta\":{\"puid\":\"late\"},\"strData\":\"c\"}]",
            "{\"seldonMessages\":[{\"jsonData\":{\"a\":1}},{\"jsonData\":{\"b\":2}}]}");

    static final List<Request> HEALTH_AND_METADATA = List.of(
            get("/health/ping"),
            get("/health/status"),
            get("/api/v1.0/health/status"),
            get("/metadata"),
            get("/api/v1.0/metadata"));

    static final List<String> PREDICT_PATHS = List.of("/predict", "/api/v1.0/predictions", "/api/v0.1/predictions");
    static final List<String> FEEDBACK_PATHS = List.of("/send-feedback", "/api/v1.0/feedback", "/api/v0.1/feedback");

    private static WrapperTwins contractModel() {
        return WrapperTwins.start("ContractModel", b -> b.parameters(CONTRACT_PARAMS));
    }

    @Test
    void everyPredictRouteAndPayloadAsJson() {
        try (WrapperTwins twins = contractModel()) {
            Parity.rest(softly, twins, 200, jsonPosts(PREDICT_PATHS, PAYLOADS));
            Parity.rest(softly, twins, 200, jsonPosts(List.of("/transform-input", "/transform-output"), PAYLOADS));
        }
    }

    @Test
    void bodiesAsFormFieldQueryParameterAndGet() {
        List<Request> requests = new ArrayList<>();
        for (String payload : PAYLOADS.subList(0, 14)) {
            requests.add(form("/predict", payload));
            requests.add(query("GET", "/predict", payload));
        }
        for (String path :
                List.of("/api/v1.0/predictions", "/api/v0.1/predictions", "/transform-input", "/transform-output")) {
            requests.add(form(path, PAYLOADS.get(1)));
            requests.add(query("POST", path, PAYLOADS.get(16)));
        }
        requests.add(query("GET", "/transform-input", PAYLOADS.get(13)));
        requests.add(query("GET", "/transform-output", PAYLOADS.get(7)));
        // the form field wins over a JSON body, and the query parameter when there is no form field
        requests.add(raw(
                "POST /predict?json= with a JSON body",
                "POST",
                "/predict?json=%7B%22strData%22%3A%22query%22%7D",
                "application/json",
                utf8("{\"strData\":\"body\"}")));
        try (WrapperTwins twins = contractModel()) {
            Parity.rest(softly, twins, 200, requests);
        }
    }

    @Test
    void multipartFormData() {
        byte[] binary = {0, 1, 2, (byte) 0xff, (byte) 0x80, '\n', 'x'};
        try (WrapperTwins twins = contractModel()) {
            Parity.rest(
                    softly,
                    twins,
                    200,
                    multipart("/predict", Part.field("strData", "hello multipart")),
                    multipart("/predict", Part.field("strData", "h\u00e9llo {\"not\": \"json\"}")),
                    multipart("/predict", Part.file("strData", "s.txt", utf8("text from a file \u2603"))),
                    multipart("/predict", Part.file("binData", "b.bin", binary)),
                    multipart(
                            "/predict",
                            Part.field("meta", "{\"puid\":\"mp\",\"tags\":{\"k\":\"v\"}}"),
                            Part.file("binData", "b.bin", binary)),
                    multipart(
                            "/predict",
                            Part.field("data", "{\"names\":[\"a\",\"b\"],\"ndarray\":[[1,2]]}"),
                            Part.field("meta", "{\"puid\":\"mp2\"}")),
                    multipart("/predict", Part.field("jsonData", "{\"a\":[1,2]}")),
                    multipart(
                            "/api/v1.0/predictions",
                            Part.field("data", "{\"tensor\":{\"shape\":[1,2],\"values\":[1,2]}}")),
                    multipart("/api/v0.1/predictions", Part.field("strData", "v0.1")),
                    multipart("/transform-input", Part.file("binData", "b.bin", binary)),
                    multipart("/transform-output", Part.field("strData", "out")));
        }
    }

    @Test
    void feedbackRoutes() {
        List<Request> requests = new ArrayList<>(jsonPosts(FEEDBACK_PATHS, FEEDBACKS));
        requests.add(form("/send-feedback", FEEDBACKS.get(0)));
        requests.add(query("GET", "/send-feedback", FEEDBACKS.get(1)));
        requests.add(query("POST", "/api/v1.0/feedback", FEEDBACKS.get(2)));
        try (WrapperTwins twins = contractModel()) {
            Parity.rest(softly, twins, 200, requests);
        }
    }

    @Test
    void healthAndMetadataRoutes() {
        try (WrapperTwins contract = contractModel()) {
            Parity.rest(softly, contract, 200, HEALTH_AND_METADATA);
        }
        // a class without health_status or init_metadata: the wrapper's defaults
        try (WrapperTwins seed = WrapperTwins.start("MyModel")) {
            Parity.rest(softly, seed, 200, HEALTH_AND_METADATA);
            Parity.rest(softly, seed, 200, jsonPosts(List.of("/predict", "/api/v1.0/predictions"), PAYLOADS));
            Parity.rest(
                    softly,
                    seed,
                    200,
                    json("/predict", "{\"data\":{\"ndarray\":[[123456789012345678901,1,2]]}}"),
                    json("/predict", "{\"data\":{\"ndarray\":[true,false]}}"),
                    json("/predict", "{\"data\":{\"ndarray\":[[null,1]]}}"));
        }
    }

    @Test
    void badRequests() {
        try (WrapperTwins twins = contractModel()) {
            Parity.rest(
                    softly,
                    twins,
                    400,
                    json("/predict", ""),
                    json("/predict", "{\"meta\":{\"puid\":\"x\"}}"),
                    json("/predict", "{}"),
                    json("/predict", "[1,2]"),
                    json("/predict", "\"a string\""),
                    json("/predict", "{\"dat\":{\"ndarray\":[1]}}"),
                    raw("POST /predict without Content-Type or body", "POST", "/predict", null, null),
                    json("/transform-input", "{\"meta\":{}}"),
                    json("/send-feedback", "{\"request\":{\"data\":{\"ndarray\":[[1]]}},\"unknownField\":1}"),
                    json("/api/v1.0/feedback", "{\"reward\":\"high\"}"),
                    json("/send-feedback", "[1]"),
                    // a MODEL has no route nor aggregate
                    json("/route", "{\"data\":{\"ndarray\":[[1]]}}"),
                    json("/aggregate", LIST),
                    json("/aggregate", "{\"seldonMessages\":" + LIST + "}"));
            // Ours on purpose (docs/python-wrapper.md): the parser's position after Seldon's text
            Parity.cleanerError(
                    softly,
                    twins,
                    400,
                    400,
                    "Can't find JSON in data: Expecting value: line 1 column 9",
                    json("/predict", "{\"data\":"),
                    json("/send-feedback", "{\"data\":"));
            Parity.cleanerError(
                    softly,
                    twins,
                    400,
                    400,
                    "Can't find JSON in data: Expecting value: line 1 column 1",
                    json("/api/v1.0/predictions", "not json at all"));
            // a bad json= parameter: Seldon's JSON error escapes its handler (500); ours is bad data
            Parity.cleanerError(
                    softly,
                    twins,
                    500,
                    400,
                    "Can't find JSON in data: json parameter: Expecting value",
                    form("/predict", "{\"data\":"));
            Parity.cleanerError(
                    softly,
                    twins,
                    500,
                    400,
                    "Can't find JSON in data: json parameter: Expecting property name",
                    query("GET", "/predict", "{broken"));
            // numpy's reshape and Python's base64 errors (500 in Seldon's) are bad data naming the field
            Parity.cleanerError(
                    softly,
                    twins,
                    500,
                    400,
                    "data.tensor: 3 values do not fill shape [2, 2]",
                    json("/predict", "{\"data\":{\"tensor\":{\"shape\":[2,2],\"values\":[1,2,3]}}}"));
            Parity.cleanerError(
                    softly,
                    twins,
                    500,
                    400,
                    "binData is not base64",
                    json("/predict", "{\"binData\":\"not base64!\"}"));
            // unknown paths and methods keep their own status (Seldon's handler turns them into 500)
            Parity.cleanerError(softly, twins, 500, 404, "404 Not Found", get("/nope"));
            Parity.cleanerError(
                    softly,
                    twins,
                    500,
                    405,
                    "405 Method Not Allowed",
                    get("/api/v1.0/predictions"),
                    get("/api/v1.0/feedback"),
                    raw("PUT /predict", "PUT", "/predict", "application/json", utf8(PAYLOADS.get(0))),
                    raw("POST /health/ping", "POST", "/health/ping", "application/json", utf8("{}")),
                    raw("POST /metadata", "POST", "/metadata", "application/json", utf8("{}")));
            // a JSON body is read whatever its Content-Type says (Seldon's answers 400)
            Request plain = raw(
                    "POST /predict text/plain", "POST", "/predict", "text/plain", utf8("{\"data\":{\"ndarray\":[1]}}"));
            assertThat(RawHttp.send(twins.seldon.httpEndpoint(), plain).status())
                    .isEqualTo(400);
            softly.assertThat(RawHttp.send(twins.ours.httpEndpoint(), plain).toString())
                    .isEqualTo(RawHttp.send(twins.ours.httpEndpoint(), json("/predict", "{\"data\":{\"ndarray\":[1]}}"))
                            .toString())
                    .startsWith("200 ");
        }
    }

    @Test
    void metaReachesPredict() {
        try (WrapperTwins twins = WrapperTwins.start("MetaModel")) {
            Parity.rest(softly, twins, 200, jsonPosts(List.of("/predict"), PAYLOADS));
            Parity.rest(
                    softly,
                    twins,
                    200,
                    multipart(
                            "/predict",
                            Part.field("meta", "{\"puid\":\"mp\",\"tags\":{\"k\":\"v\"}}"),
                            Part.field("strData", "s")));
        }
    }

    @Test
    void everyPayloadTypeAModelReturns() {
        List<Request> ok = new ArrayList<>();
        for (String kind : List.of(
                "str",
                "dict",
                "bytes",
                "strings",
                "np-strings",
                "mixed",
                "nested",
                "empty",
                "np-int",
                "np-bool",
                "unicode")) {
            ok.add(json("/predict", "{\"strData\":\"" + kind + "\"}"));
            ok.add(json("/predict", "{\"meta\":{\"puid\":\"t\"},\"strData\":\"" + kind + "\"}"));
        }
        try (WrapperTwins twins = WrapperTwins.start("TypesModel")) {
            Parity.rest(softly, twins, 200, ok);
            Parity.rest(softly, twins, 200, jsonPosts(List.of("/predict"), PAYLOADS));
            Parity.rest(softly, twins, 200, HEALTH_AND_METADATA);
            // a Python number or None is not a payload: 400 in both, ours naming every accepted type and the value
            Parity.cleanerError(
                    softly,
                    twins,
                    400,
                    400,
                    "Unknown data type returned as payload (must be numpy array, list, str," + " bytes or dict): int 5",
                    json("/predict", "{\"strData\":\"int\"}"));
            Parity.cleanerError(softly, twins, 400, 400, "float 2.5", json("/predict", "{\"strData\":\"float\"}"));
            Parity.cleanerError(softly, twins, 400, 400, "NoneType None", json("/predict", "{\"strData\":\"none\"}"));
        }
    }

    @Test
    void userExceptionsAre500InternalErrors() {
        try (WrapperTwins twins = WrapperTwins.start("FailingModel")) {
            Parity.rest(
                    softly,
                    twins,
                    500,
                    json("/predict", PAYLOADS.get(1)),
                    json("/api/v1.0/predictions", PAYLOADS.get(10)),
                    json("/api/v0.1/predictions", PAYLOADS.get(13)),
                    query("GET", "/predict", PAYLOADS.get(0)),
                    json("/transform-input", PAYLOADS.get(1)),
                    json("/transform-output", PAYLOADS.get(1)),
                    json("/route", PAYLOADS.get(1)),
                    json("/aggregate", LIST),
                    json("/send-feedback", FEEDBACKS.get(0)),
                    get("/health/status"));
            Parity.rest(softly, twins, 200, get("/health/ping"), get("/metadata"));
        }
    }

    @Test
    void rawMethods() {
        try (WrapperTwins twins = WrapperTwins.start("RawModel")) {
            Parity.rest(
                    softly,
                    twins,
                    200,
                    jsonPosts(
                            List.of(
                                    "/predict",
                                    "/api/v1.0/predictions",
                                    "/transform-input",
                                    "/transform-output",
                                    "/route"),
                            PAYLOADS));
            Parity.rest(softly, twins, 200, jsonPosts(List.of("/aggregate"), AGGREGATES));
            Parity.rest(softly, twins, 200, jsonPosts(List.of("/send-feedback", "/api/v1.0/feedback"), FEEDBACKS));
            Parity.rest(softly, twins, 200, HEALTH_AND_METADATA);
            Parity.rest(
                    softly,
                    twins,
                    200,
                    form("/predict", PAYLOADS.get(1)),
                    query("GET", "/predict", PAYLOADS.get(13)),
                    multipart("/predict", Part.field("strData", "raw multipart")));
            // A multipart binData file reaches Seldon's predict_raw as base64 *bytes*, which its own JSON encoding
            // then fails on: 500 "Object of type bytes is not JSON serializable", a crash of Seldon's wrapper.
            // Ours must answer cleanly: the file, base64, as binData (a difference by design).
            Request file = multipart("/predict", Part.file("binData", "b.bin", new byte[] {1, 2, 3}));
            RawHttp.Answer seldon = RawHttp.send(twins.seldon.httpEndpoint(), file);
            assertThat(seldon.status()).as("Seldon's: %s", seldon).isEqualTo(500);
            assertThat(seldon.text()).contains("Object of type bytes is not JSON serializable");
            if (WrapperTwins.OURS != PythonWrapper.SELDON) {
                RawHttp.Answer ours = RawHttp.send(twins.ours.httpEndpoint(), file);
                softly.assertThat(ours.status()).as("%s: ours %s", file, ours).isEqualTo(200);
                softly.assertThat(ours.text()).as("%s: ours %s", file, ours).contains("\"binData\":\"AQID\"");
            }
            // a raw answer with a status: its code is the HTTP status
            Parity.rest(softly, twins, 418, json("/predict", "{\"jsonData\":{\"status\":418}}"));
            Parity.rest(softly, twins, 422, json("/api/v1.0/predictions", "{\"jsonData\":{\"status\":422}}"));
            Parity.rest(softly, twins, 200, json("/predict", "{\"jsonData\":{\"status\":200}}"));
        }
    }

    @Test
    void routers() {
        try (WrapperTwins twins = WrapperTwins.start(
                "ContractRouter",
                b -> b.serviceType("ROUTER")
                        .parameters("[{\"name\":\"default_child\",\"value\":\"1\",\"type\":\"INT\"}]"))) {
            Parity.rest(
                    softly,
                    twins,
                    200,
                    jsonPosts(
                            List.of("/route"),
                            PAYLOADS.stream()
                                    .filter(p -> !p.contains("[[1,\"a\"]"))
                                    .toList()));
            Parity.rest(
                    softly,
                    twins,
                    200,
                    json("/route", "{\"data\":{\"ndarray\":[[0]]}}"),
                    json("/route", "{\"meta\":{\"puid\":\"r\",\"tags\":{\"t\":1}},\"data\":{\"ndarray\":[[2.7,1]]}}"),
                    json("/route", "{\"data\":{\"tensor\":{\"shape\":[1,1],\"values\":[-1]}}}"),
                    form("/route", "{\"strData\":\"x\"}"),
                    query("GET", "/route", "{\"data\":{\"ndarray\":[[3]]}}"));
            Parity.rest(softly, twins, 200, jsonPosts(FEEDBACK_PATHS, FEEDBACKS));
            Parity.rest(softly, twins, 200, HEALTH_AND_METADATA);
        }
        try (WrapperTwins twins = WrapperTwins.start("NonIntRouter", b -> b.serviceType("ROUTER"))) {
            Parity.rest(
                    softly,
                    twins,
                    400,
                    json("/route", "{\"data\":{\"ndarray\":[[1]]}}"),
                    json("/route", "{\"strData\":\"x\"}"),
                    json("/route", "{\"binData\":\"AA==\"}"));
            // True is an int to Python and Seldon's wrapper answers [[true]], which no engine can route by: ours
            // refuses it
            Parity.cleanerError(
                    softly,
                    twins,
                    200,
                    400,
                    "Routing response must be int but got True",
                    json("/route", "{\"jsonData\":{\"a\":1}}"));
        }
    }

    @Test
    void transformers() {
        try (WrapperTwins twins = WrapperTwins.start("ContractTransformer", b -> b.serviceType("TRANSFORMER"))) {
            Parity.rest(
                    softly,
                    twins,
                    200,
                    jsonPosts(List.of("/transform-input", "/predict", "/transform-output"), PAYLOADS));
            Parity.rest(
                    softly,
                    twins,
                    200,
                    multipart("/transform-input", Part.field("strData", "upper me")),
                    form("/transform-input", PAYLOADS.get(3)));
        }
        // an OUTPUT_TRANSFORMER class: Seldon's wrapper only accepts --service-type TRANSFORMER for it
        try (WrapperTwins twins = WrapperTwins.start("ContractOutputTransformer", b -> b.serviceType("TRANSFORMER"))) {
            Parity.rest(
                    softly,
                    twins,
                    200,
                    jsonPosts(List.of("/transform-output", "/transform-input", "/predict"), PAYLOADS));
            Parity.rest(
                    softly,
                    twins,
                    200,
                    query("GET", "/transform-output", PAYLOADS.get(12)),
                    HEALTH_AND_METADATA.get(1));
        }
    }

    @Test
    void combiners() {
        try (WrapperTwins twins = WrapperTwins.start("ContractCombiner", b -> b.serviceType("COMBINER"))) {
            Parity.rest(softly, twins, 200, jsonPosts(List.of("/aggregate"), AGGREGATES));
            Parity.rest(
                    softly,
                    twins,
                    200,
                    form("/aggregate", LIST),
                    query("GET", "/aggregate", AGGREGATES.get(1)),
                    query("POST", "/aggregate", AGGREGATES.get(3)));
            Parity.rest(
                    softly,
                    twins,
                    400,
                    json("/aggregate", "{\"messages\":[]}"),
                    json("/aggregate", "{\"seldonMessages\":{}}"),
                    json("/aggregate", "[{\"meta\":{}}]"),
                    json("/aggregate", "[1,2]"));
            // an empty list: Seldon's wrapper indexes its first message (IndexError, 500); ours says what is missing
            Parity.cleanerError(
                    softly,
                    twins,
                    500,
                    400,
                    "aggregate needs at least one message",
                    json("/aggregate", "[]"),
                    json("/aggregate", "{\"seldonMessages\":[]}"));
        }
        try (WrapperTwins twins = WrapperTwins.start("AverageCombiner", b -> b.serviceType("COMBINER"))) {
            Parity.rest(softly, twins, 200, jsonPosts(List.of("/aggregate"), AGGREGATES.subList(0, 3)));
        }
    }
}
