package dev.seldonj.engine.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.seldon.protos.PredictionProtos.Meta;
import io.seldon.protos.PredictionProtos.Metric;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A protobuf answer's meta is built as protobuf now; these tests pin it to what the engine built
 * before (the meta printed as JSON, merged and written as JSON, parsed back with protobuf's JSON
 * parser), byte for byte, over hand-picked and random metas.
 */
class ProtoResponseMetaTest {

    private static Meta viaJson(RequestContext ctx, Meta finalMeta) throws IOException {
        ObjectNode json =
                finalMeta == null ? null : (ObjectNode) SeldonJsonScanner.MAPPER.readTree(ProtoJson.json(finalMeta));
        Meta.Builder parsed = Meta.newBuilder();
        ProtoJson.merge(ctx.responseMeta(json), parsed, "meta");
        return parsed.build();
    }

    /** Two contexts given the same steps; the final meta written the former way and the new way. */
    private static Meta same(String puid, Meta requestMeta, Meta stepMeta, Meta finalMeta, boolean deferred)
            throws IOException {
        RequestContext before = new RequestContext(puid, List.of(), null);
        RequestContext now = new RequestContext(puid, List.of(), null);
        for (RequestContext ctx : List.of(before, now)) {
            if (requestMeta != null) {
                ctx.absorb((ObjectNode) SeldonJsonScanner.MAPPER.readTree(ProtoJson.json(requestMeta)));
            }
            ctx.routed("router", 1);
            ctx.visited("router", "img/router:1");
            if (stepMeta != null) {
                ctx.absorb((ObjectNode) SeldonJsonScanner.MAPPER.readTree(ProtoJson.json(stepMeta)));
            }
            ctx.visited("model", "img/model:2");
            if (deferred) {
                ctx.deferFinalMeta();
            }
        }
        Meta expected = viaJson(before, finalMeta);
        Meta actual = now.responseMeta(finalMeta);
        assertThat(actual).isEqualTo(expected);
        assertThat(actual.toByteArray()).isEqualTo(expected.toByteArray());
        return actual;
    }

    private static Value number(double d) {
        return Value.newBuilder().setNumberValue(d).build();
    }

    private static Value string(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }

    @Test
    void noMetaAnywhereGivesPuidAndRequestPath() throws IOException {
        Meta meta = same("p-1", null, null, null, true);
        assertThat(meta.getPuid()).isEqualTo("p-1");
        assertThat(meta.getRequestPathMap())
                .containsExactly(Map.entry("router", "img/router:1"), Map.entry("model", "img/model:2"));
        assertThat(meta.getRoutingMap()).containsEntry("router", 1);
    }

    @Test
    void everyKindOfTagValueMetricsAndTheComponentsOwnRequestPath() throws IOException {
        Meta request = Meta.newBuilder()
                .putTags("client", string("x"))
                .putTags("n", number(1))
                .putTags("big", number(1.2345678901234568e29))
                .putTags("neg", number(-0.0))
                .putTags("t", Value.newBuilder().setBoolValue(true).build())
                .putTags(
                        "nul",
                        Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build())
                .putTags(
                        "obj",
                        Value.newBuilder()
                                .setStructValue(Struct.newBuilder()
                                        .putFields(
                                                "a",
                                                Value.newBuilder()
                                                        .setListValue(ListValue.newBuilder()
                                                                .addValues(number(1))
                                                                .addValues(string("c")))
                                                        .build())
                                        .putFields(
                                                "d",
                                                Value.newBuilder()
                                                        .setStructValue(Struct.getDefaultInstance())
                                                        .build()))
                                .build())
                .build();
        Meta step = Meta.newBuilder()
                .putTags("client", string("overridden"))
                .putRequestPath("inner", "img/inner:3")
                .putRequestPath("router", "shadowed")
                .build();
        Meta last = Meta.newBuilder()
                .setPuid("ignored")
                .putRouting("z", 9)
                .putTags("model", string("again\u00e9\ud83d\ude00"))
                .putRequestPath("deep", "img/deep:4")
                .addMetrics(Metric.newBuilder().setKey("c").setValue(1))
                .addMetrics(Metric.newBuilder()
                        .setKey("g")
                        .setType(Metric.MetricType.GAUGE)
                        .setValue(0.25f)
                        .putTags("k", "v"))
                .build();
        for (boolean deferred : new boolean[] {true, false}) {
            Meta meta = same("abc", request, step, last, deferred);
            assertThat(meta.getPuid()).isEqualTo("abc");
            assertThat(meta.getMetricsCount()).isEqualTo(2);
            assertThat(meta.getRequestPathMap().containsKey("deep")).isEqualTo(deferred);
        }
    }

    @Test
    void randomMetas() throws IOException {
        Random random = new Random(20261207);
        for (int i = 0; i < 300; i++) {
            same("p" + i, randomMeta(random), randomMeta(random), randomMeta(random), random.nextBoolean());
        }
    }

    private static Meta randomMeta(Random r) {
        if (r.nextInt(5) == 0) {
            return null;
        }
        Meta.Builder m = Meta.newBuilder();
        for (int k = r.nextInt(4); k > 0; k--) {
            m.putTags(key(r), randomValue(r, 2));
        }
        for (int k = r.nextInt(3); k > 0; k--) {
            m.putRequestPath(key(r), key(r));
        }
        for (int k = r.nextInt(3); k > 0; k--) {
            m.addMetrics(Metric.newBuilder()
                    .setKey(key(r))
                    .setType(Metric.MetricType.forNumber(r.nextInt(3)))
                    .setValue(r.nextFloat() * 100)
                    .putTags(key(r), key(r)));
        }
        return m.build();
    }

    private static String key(Random r) {
        String[] pieces = {"a", "b", "model", "é", "\"q\"", "x y", "😀", ""};
        return pieces[r.nextInt(pieces.length)] + pieces[r.nextInt(pieces.length)];
    }

    private static Value randomValue(Random r, int depth) {
        int kind = r.nextInt(depth > 0 ? 6 : 4);
        return switch (kind) {
            case 0 -> string(key(r));
            case 1 ->
                number(
                        switch (r.nextInt(4)) {
                            case 0 -> r.nextInt(1000);
                            case 1 -> r.nextGaussian() * 1e12;
                            case 2 -> -r.nextDouble();
                            default -> 1e300 * r.nextDouble();
                        });
            case 2 -> Value.newBuilder().setBoolValue(r.nextBoolean()).build();
            case 3 -> Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
            case 4 -> {
                ListValue.Builder list = ListValue.newBuilder();
                for (int k = r.nextInt(3); k > 0; k--) {
                    list.addValues(randomValue(r, depth - 1));
                }
                yield Value.newBuilder().setListValue(list).build();
            }
            default -> {
                Struct.Builder struct = Struct.newBuilder();
                for (int k = r.nextInt(3); k > 0; k--) {
                    struct.putFields(key(r), randomValue(r, depth - 1));
                }
                yield Value.newBuilder().setStructValue(struct).build();
            }
        };
    }
}
