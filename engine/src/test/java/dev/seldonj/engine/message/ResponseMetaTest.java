package dev.seldonj.engine.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seldonj.api.protocol.SeldonJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The answer's meta is written by hand now; these tests pin it to what the engine wrote before with a
 * Jackson generator ({@link Before}, the former code), byte for byte, over hand-picked and random metas.
 */
class ResponseMetaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** The former RequestContext's meta merging and writing, kept as the reference. */
    private static final class Before {
        private static final Set<String> OWN_FIELDS = Set.of("puid", "tags", "routing", "requestPath");
        final String puid;
        final Map<String, JsonNode> tags = new LinkedHashMap<>();
        final Map<String, Integer> routing = new LinkedHashMap<>();
        final Map<String, String> requestPath = new LinkedHashMap<>();

        Before(String puid) {
            this.puid = puid;
        }

        void absorb(ObjectNode meta) {
            if (meta == null) {
                return;
            }
            JsonNode t = meta.get("tags");
            if (t != null && t.isObject()) {
                t.fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue()));
            }
            JsonNode rp = meta.get("requestPath");
            if (rp != null && rp.isObject()) {
                rp.fields()
                        .forEachRemaining(e ->
                                requestPath.putIfAbsent(e.getKey(), e.getValue().asText()));
            }
        }

        byte[] responseMeta(ObjectNode finalMeta) throws IOException {
            if (finalMeta != null && finalMeta.get("tags") instanceof ObjectNode t) {
                t.fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue()));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (JsonGenerator g = JSON.createGenerator(out)) {
                g.writeStartObject();
                if (finalMeta != null) {
                    var fields = finalMeta.fields();
                    while (fields.hasNext()) {
                        var f = fields.next();
                        if (!OWN_FIELDS.contains(f.getKey())) {
                            g.writeFieldName(f.getKey());
                            g.writeTree(f.getValue());
                        }
                    }
                }
                g.writeStringField("puid", puid);
                g.writeObjectFieldStart("tags");
                for (Map.Entry<String, JsonNode> t : tags.entrySet()) {
                    g.writeFieldName(t.getKey());
                    g.writeTree(t.getValue());
                }
                g.writeEndObject();
                g.writeObjectFieldStart("routing");
                for (Map.Entry<String, Integer> r : routing.entrySet()) {
                    g.writeNumberField(r.getKey(), r.getValue());
                }
                g.writeEndObject();
                g.writeObjectFieldStart("requestPath");
                for (Map.Entry<String, String> p : requestPath.entrySet()) {
                    g.writeStringField(p.getKey(), p.getValue());
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            return out.toByteArray();
        }
    }

    /** Runs the same request through both and compares the answers' meta. */
    private static String same(String puid, ObjectNode requestMeta, List<Object[]> steps, ObjectNode finalMeta)
            throws IOException {
        RequestContext now = new RequestContext(puid, List.of(), null);
        Before before = new Before(puid);
        now.absorb(requestMeta);
        before.absorb(requestMeta);
        for (Object[] step : steps) {
            String node = (String) step[0];
            if (step[1] instanceof Integer branch) {
                now.routed(node, branch);
                before.routing.put(node, branch);
            } else {
                now.visited(node, (String) step[1]);
                before.requestPath.put(node, (String) step[1]);
                ObjectNode answer = (ObjectNode) step[2];
                now.absorb(answer);
                before.absorb(answer);
            }
        }
        byte[] expected = before.responseMeta(finalMeta);
        byte[] actual = now.responseMeta(finalMeta);
        assertThat(new String(actual, StandardCharsets.UTF_8)).isEqualTo(new String(expected, StandardCharsets.UTF_8));
        assertThat(actual).isEqualTo(expected);
        return new String(actual, StandardCharsets.UTF_8);
    }

    private static ObjectNode meta(String json) throws IOException {
        return (ObjectNode) JSON.readTree(json);
    }

    @Test
    void singleModelWithoutMeta() throws IOException {
        String meta = same("4f1c", null, List.<Object[]>of(new Object[] {"model", "seldonio/mock:1.0", null}), null);
        assertThat(meta)
                .isEqualTo("{\"puid\":\"4f1c\",\"tags\":{},\"routing\":{},\"requestPath\":{\"model\":"
                        + "\"seldonio/mock:1.0\"}}");
    }

    @Test
    void everyKindOfTagValueMetricsAndComponentsOwnRequestPath() throws IOException {
        ObjectNode request =
                meta("{\"puid\":\"p\",\"tags\":{\"client\":\"x\",\"n\":1,\"big\":123456789012345678901234567890,"
                        + "\"f\":1.50,\"e\":2.5e10,\"neg\":-0.0,\"inf\":1e400,\"t\":true,\"nul\":null,\"obj\":{\"a\":[1,{\"b\":\"c\"}],"
                        + "\"d\":{}},\"arr\":[],\"long\":1099511627776}}");
        ObjectNode first = meta(
                "{\"tags\":{\"client\":\"overridden\",\"model\":true},\"requestPath\":{\"inner\":"
                        + "\"img/inner:2\",\"router\":\"shadowed\"},\"metrics\":[{\"key\":\"c\",\"type\":\"COUNTER\",\"value\":1}]}");
        ObjectNode last = meta(
                "{\"tags\":{\"model\":\"again\"},\"metrics\":[{\"key\":\"g\",\"type\":\"GAUGE\",\"value\":"
                        + "0.25,\"tags\":{\"k\":\"v\"}}],\"custom\":{\"x\":[1.0,\"y\"]},\"puid\":\"ignored\",\"routing\":{\"z\":9}}");
        same(
                "abc-123",
                request,
                List.of(
                        new Object[] {"router", -1},
                        new Object[] {"router", "img/router:1", first},
                        new Object[] {"combiner", 0},
                        new Object[] {"b", "", last}),
                last);
    }

    @Test
    void aSingleCallsAnswerMergedWhenWrittenIsTheSameAsMergedByTheExecutor() throws IOException {
        ObjectNode request = meta("{\"tags\":{\"a\":1,\"b\":2}}");
        ObjectNode answer =
                meta("{\"tags\":{\"b\":3,\"c\":4},\"requestPath\":{\"inner\":\"img/inner\",\"model\":\"x\"},"
                        + "\"metrics\":[]}");
        Before before = new Before("p");
        before.absorb(request);
        before.requestPath.put("model", "img/model:1");
        before.absorb(answer);
        RequestContext deferred = new RequestContext("p", List.of(), null);
        deferred.absorb(request);
        deferred.visited("model", "img/model:1");
        deferred.deferFinalMeta();

        assertThat(new String(deferred.responseMeta(answer), StandardCharsets.UTF_8))
                .isEqualTo(new String(before.responseMeta(answer), StandardCharsets.UTF_8))
                .contains("\"inner\":\"img/inner\"");
    }

    @Test
    void aFinalMessageTheExecutorDidNotMergeAddsItsTagsOnly() throws IOException {
        // Feedback: the answer is the root's own send-feedback answer; its request path was never merged.
        String meta = same("p", null, List.of(), meta("{\"tags\":{\"t\":1},\"requestPath\":{\"x\":\"y\"}}"));
        assertThat(meta).isEqualTo("{\"puid\":\"p\",\"tags\":{\"t\":1},\"routing\":{},\"requestPath\":{}}");
    }

    @Test
    void stringsAreEscapedAsJacksonEscapedThem() throws IOException {
        String nasty = "q\"b\\s/\u0000\u0001\b\t\n\f\r\u001f\u007f é € 😀 \ud800 \udfff x\u2028\u00ff";
        ObjectNode request = F.objectNode();
        request.putObject("tags").put(nasty, nasty).put("k", "\u0080\u07ff\u0800\uffff");
        same(nasty, request, List.<Object[]>of(new Object[] {nasty, nasty, null}, new Object[] {"r\"", 3}), null);
    }

    @Test
    void randomMetas() throws IOException {
        Random random = new Random(20261123);
        for (int i = 0; i < 300; i++) {
            ObjectNode request = F.objectNode();
            request.set("tags", randomObject(random, 2));
            ObjectNode answer = F.objectNode();
            answer.set("tags", randomObject(random, 2));
            answer.set("requestPath", F.objectNode().put(randomString(random), randomString(random)));
            answer.set(randomString(random), randomValue(random, 2));
            same(
                    randomString(random),
                    request,
                    List.of(
                            new Object[] {randomString(random), random.nextInt(7) - 2},
                            new Object[] {randomString(random), randomString(random), answer}),
                    answer);
        }
    }

    @Test
    void aMessageWithTheNewMetaReadsTheSameWithTheApiCodec() throws IOException {
        ObjectNode answer =
                meta("{\"tags\":{\"t\":\"\\u00e9\\ud83d\\ude00\"},\"metrics\":[{\"key\":\"c\",\"value\":2}]}");
        RequestContext ctx = new RequestContext("p\u00e9", List.of(), null);
        ctx.visited("m", "img:1");
        ctx.routed("m", 0);
        String message = "{\"meta\":" + new String(ctx.responseMeta(answer), StandardCharsets.UTF_8) + "}";
        var parsed = SeldonJson.parseMessage(message);
        assertThat(parsed.getMeta().getPuid()).isEqualTo("p\u00e9");
        assertThat(parsed.getMeta().getTagsMap().get("t").getStringValue()).isEqualTo("\u00e9\ud83d\ude00");
        assertThat(parsed.getMeta().getRoutingMap()).containsEntry("m", 0);
        assertThat(parsed.getMeta().getRequestPathMap()).containsEntry("m", "img:1");
        assertThat(parsed.getMeta().getMetrics(0).getValue()).isEqualTo(2f);
    }

    private static ObjectNode randomObject(Random r, int depth) {
        ObjectNode o = F.objectNode();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            o.set(randomString(r), randomValue(r, depth));
        }
        return o;
    }

    private static JsonNode randomValue(Random r, int depth) {
        return switch (r.nextInt(depth > 0 ? 11 : 9)) {
            case 0 -> F.textNode(randomString(r));
            case 1 -> F.numberNode(r.nextInt());
            case 2 -> F.numberNode(r.nextLong());
            case 3 -> F.numberNode(r.nextDouble() * Math.pow(10, r.nextInt(40) - 20));
            case 4 -> F.numberNode(new BigInteger(100, r));
            case 5 -> F.numberNode(new BigDecimal(r.nextInt()).movePointLeft(r.nextInt(5)));
            case 6 -> F.booleanNode(r.nextBoolean());
            case 7 -> F.nullNode();
            case 8 -> F.numberNode(r.nextBoolean() ? Double.NaN : Double.NEGATIVE_INFINITY);
            case 9 -> randomObject(r, depth - 1);
            default -> {
                ArrayNode a = F.arrayNode();
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    a.add(randomValue(r, depth - 1));
                }
                yield a;
            }
        };
    }

    /** Strings drawn from the ranges that encode differently: controls, ASCII, 2- and 3-byte UTF-8, surrogates. */
    private static String randomString(Random r) {
        int[][] ranges = {{0, 0x20}, {0x20, 0x80}, {0x80, 0x800}, {0x800, 0xd800}, {0xd800, 0xe000}, {0xe000, 0x10000}};
        StringBuilder s = new StringBuilder();
        int n = r.nextInt(8);
        for (int i = 0; i < n; i++) {
            int[] range = ranges[r.nextInt(ranges.length)];
            s.append((char) (range[0] + r.nextInt(range[1] - range[0])));
        }
        return s.toString();
    }
}
