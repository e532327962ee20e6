package dev.seldonj.engine.message;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seldonj.engine.core.EngineException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.seldon.protos.PredictionProtos.Meta;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The engine's one message representation: a SeldonMessage held in the form it arrived (JSON bytes
 * or protobuf), converted only when a step on the other transport needs it, and otherwise only
 * looked into for its {@code meta}. Graphs of the v2 and tensorflow protocols carry their own
 * payloads: JSON bytes as they came, or that protocol's protobuf ({@link #protocolProto()}), passed
 * between gRPC steps untouched and converted by the protocol's codec where a REST step needs JSON.
 *
 * <p>JSON arrives in pooled network buffers and stays there, uncopied, until the answer is written.
 * A message does not own its buffer: a client's request body belongs to the server adapter, a
 * component's answer to the {@link RequestContext}, and both are released once the request's answer
 * has been written. Whoever sends a message's JSON on takes a {@code retainedDuplicate()}; whoever keeps the bytes beyond the request (the payload log) copies
 * them ({@link #jsonBytes()}).
 */
public final class Message {

    private static final byte[] OPEN_META = "{\"meta\":".getBytes(StandardCharsets.US_ASCII);
    /** Up to this size the payload is copied next to the meta (one small buffer); beyond, it is referenced. */
    private static final int COPY_MAX = 2048;

    private ByteBuf json;
    private SeldonMessage proto;
    private SeldonJsonScanner.Layout layout;
    private final com.google.protobuf.Message protocolProto;

    private Message(ByteBuf json, SeldonMessage proto, SeldonJsonScanner.Layout layout) {
        this.json = json;
        this.proto = proto;
        this.layout = layout;
        this.protocolProto = null;
    }

    private Message(com.google.protobuf.Message protocolProto) {
        this.protocolProto = protocolProto;
    }

    /** A client's request body: checked for structure, failures are 400s naming the JSON path. */
    public static Message request(ByteBuf json) {
        try {
            return new Message(json, null, SeldonJsonScanner.scan(ScanBytes.of(json), json.readableBytes(), true));
        } catch (SeldonJsonScanner.InvalidJson e) {
            throw EngineException.badRequest("invalid request: " + e.getMessage());
        }
    }

    public static Message request(byte[] json) {
        return request(Unpooled.wrappedBuffer(json));
    }

    /** A component's answer: must be a JSON object; its payload is not inspected. */
    public static Message response(ByteBuf json, String node) {
        try {
            return new Message(json, null, SeldonJsonScanner.scan(ScanBytes.of(json), json.readableBytes(), false));
        } catch (SeldonJsonScanner.InvalidJson e) {
            throw new EngineException(
                    EngineException.Kind.INVALID_RESPONSE,
                    "node '" + node + "' answered an invalid " + "SeldonMessage: " + e.getMessage());
        }
    }

    public static Message response(byte[] json, String node) {
        return response(Unpooled.wrappedBuffer(json), node);
    }

    /** JSON built by the engine itself (built-ins), trusted to be a valid SeldonMessage. */
    public static Message trusted(byte[] json) {
        return new Message(Unpooled.wrappedBuffer(json), null, null);
    }

    public static Message of(SeldonMessage proto) {
        return new Message(null, proto, null);
    }

    /** A v2 or tensorflow protobuf payload (e.g. ModelInferRequest, PredictResponse), carried as it is. */
    public static Message ofProtocolProto(com.google.protobuf.Message payload) {
        return new Message(payload);
    }

    public boolean isJson() {
        return json != null;
    }

    /**
     * The JSON when the message holds it, without converting; null otherwise. Not retained and possibly
     * pooled: it is released once the request's answer is written, so whoever keeps the bytes beyond the
     * request (e.g. for another thread) copies them now.
     */
    public ByteBuf jsonIfHeld() {
        return json;
    }

    /** The protobuf form when the message holds it, without converting; null otherwise. */
    public SeldonMessage protoIfHeld() {
        return proto;
    }

    /** The v2 or tensorflow protobuf payload, or null when the message is JSON or a SeldonMessage. */
    public com.google.protobuf.Message protocolProto() {
        return protocolProto;
    }

    /** The JSON, not retained: see the class comment for who releases it. */
    public ByteBuf json() {
        if (json == null) {
            if (protocolProto != null) {
                throw new EngineException(
                        EngineException.Kind.INTERNAL,
                        "a " + protocolProto.getDescriptorForType().getFullName()
                                + " payload has no SeldonMessage JSON form");
            }
            json = Unpooled.wrappedBuffer(ProtoJson.json(proto));
        }
        return json;
    }

    /** A copy of the JSON, for the few places that need an array (conversions, built-ins). */
    public byte[] jsonBytes() {
        ByteBuf j = json();
        return ByteBufUtil.getBytes(j, j.readerIndex(), j.readableBytes(), false);
    }

    public SeldonMessage proto() {
        if (proto == null) {
            if (protocolProto != null) {
                throw new EngineException(
                        EngineException.Kind.INTERNAL,
                        "a " + protocolProto.getDescriptorForType().getFullName() + " payload is not a SeldonMessage");
            }
            proto = ProtoJson.message(jsonBytes(), "message");
        }
        return proto;
    }

    /** The message's meta as JSON, or null when it has none. */
    public ObjectNode meta() {
        if (protocolProto != null) {
            return null;
        }
        if (json != null) {
            return layout().meta();
        }
        if (!proto.hasMeta()) {
            return null;
        }
        try {
            return (ObjectNode) SeldonJsonScanner.MAPPER.readTree(ProtoJson.json(proto.getMeta()));
        } catch (IOException e) {
            throw new EngineException(EngineException.Kind.INTERNAL, "cannot read meta: " + JsonProblems.describe(e));
        }
    }

    /**
     * This message as JSON with its meta replaced by the request's ({@link RequestContext#writeResponseMeta}),
     * without re-serialising the payload: the other top-level fields are copied when small, otherwise
     * referenced (retained slices). The caller owns the result.
     */
    public ByteBuf jsonWithMeta(RequestContext ctx, ByteBufAllocator alloc) {
        if (json == null) {
            return Unpooled.wrappedBuffer(ProtoJson.json(protoWithMeta(ctx)));
        }
        SeldonJsonScanner.Layout l = layout();
        int[] spans = l.spans();
        int base = json.readerIndex();
        for (int i = 0; i < l.spanCount(); i += 2) {
            if (StatusFlag.isStatusMember(json, base + spans[i], base + spans[i + 1])) {
                byte[] fixed = StatusFlag.normalised(json, base + spans[i], base + spans[i + 1]);
                if (fixed != null) {
                    return withStatus(ctx, alloc, l, i, fixed);
                }
            }
        }
        int payload = 0;
        for (int i = 0; i < l.spanCount(); i += 2) {
            payload += spans[i + 1] - spans[i] + 1;
        }
        boolean copy = payload <= COPY_MAX;
        ByteBuf head = alloc.buffer(256 + (copy ? payload : 0));
        try {
            head.writeBytes(OPEN_META);
            ctx.writeResponseMeta(head, l.meta());
            if (copy) {
                for (int i = 0; i < l.spanCount(); i += 2) {
                    head.writeByte(',');
                    head.writeBytes(json, base + spans[i], spans[i + 1] - spans[i]);
                }
                head.writeByte('}');
                return head;
            }
        } catch (RuntimeException e) {
            head.release();
            throw e;
        }
        // A component takes the bytes readable when it is added: each separator is written first.
        CompositeByteBuf out = alloc.compositeBuffer(2 + l.spanCount());
        ByteBuf separator = head;
        for (int i = 0; i < l.spanCount(); i += 2) {
            separator.writeByte(',');
            out.addComponent(true, separator);
            out.addComponent(true, json.retainedSlice(base + spans[i], spans[i + 1] - spans[i]));
            separator = alloc.buffer(1);
        }
        separator.writeByte('}');
        out.addComponent(true, separator);
        return out;
    }

    /** As {@link #jsonWithMeta}, the member at span {@code statusSpan} replaced by {@code status}; copied (small, rare). */
    private ByteBuf withStatus(
            RequestContext ctx, ByteBufAllocator alloc, SeldonJsonScanner.Layout l, int statusSpan, byte[] status) {
        int[] spans = l.spans();
        int base = json.readerIndex();
        ByteBuf out = alloc.buffer(256 + json.readableBytes() + status.length);
        try {
            out.writeBytes(OPEN_META);
            ctx.writeResponseMeta(out, l.meta());
            for (int i = 0; i < l.spanCount(); i += 2) {
                out.writeByte(',');
                if (i == statusSpan) {
                    out.writeBytes(status);
                } else {
                    out.writeBytes(json, base + spans[i], spans[i + 1] - spans[i]);
                }
            }
            return out.writeByte('}');
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /** This message as protobuf with the request's meta ({@link RequestContext#responseMeta(Meta)}). */
    public SeldonMessage protoWithMeta(RequestContext ctx) {
        if (json == null || proto != null) {
            SeldonMessage p = proto();
            return p.toBuilder()
                    .setMeta(ctx.responseMeta(p.hasMeta() ? p.getMeta() : null))
                    .build();
        }
        Meta.Builder m = Meta.newBuilder();
        ProtoJson.merge(ctx.responseMeta(meta()), m, "meta");
        return proto().toBuilder().setMeta(m).build();
    }

    private SeldonJsonScanner.Layout layout() {
        if (layout == null) {
            try {
                layout = SeldonJsonScanner.scan(ScanBytes.of(json), json.readableBytes(), false);
            } catch (SeldonJsonScanner.InvalidJson e) {
                throw new EngineException(
                        EngineException.Kind.INVALID_RESPONSE, "invalid SeldonMessage: " + e.getMessage());
            }
        }
        return layout;
    }
}
