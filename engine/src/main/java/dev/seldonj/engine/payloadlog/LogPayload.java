package dev.seldonj.engine.payloadlog;

import dev.seldonj.api.protocol.SeldonJson;
import dev.seldonj.api.protocol.SeldonJsonException;
import dev.seldonj.engine.message.FeedbackMessage;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.ProtoJson;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * A payload captured for logging. Capturing happens while the request runs, so it only takes the
 * forms the message already holds: its protobuf (immutable) as it is, and its JSON copied out of the
 * message's buffer, which may be one of Netty's pooled buffers, released once the request's answer
 * is written, i.e. before the event is delivered. Only nodes with a logger capture, so graphs without
 * loggers pay no copy. Serialising and converting to the request's wire form happen later, on the
 * logger's event loop ({@link #body()}).
 */
public final class LogPayload {

    public static final String JSON = "application/json";
    public static final String PROTOBUF = "application/protobuf";

    /** The bytes of an event and their content type. */
    public record Body(byte[] bytes, String contentType) {}

    private final byte[] json;
    private final com.google.protobuf.Message proto;
    private final boolean asProto;

    private LogPayload(byte[] json, com.google.protobuf.Message proto, boolean asProto) {
        this.json = json;
        this.proto = proto;
        this.asProto = asProto;
    }

    /**
     * A SeldonMessage, or a v2/tensorflow payload (JSON, or that protocol's protobuf as a gRPC node or
     * client sent it); {@code asProto} when the client spoke protobuf.
     */
    public static LogPayload of(Message message, boolean asProto) {
        com.google.protobuf.Message proto =
                message.protoIfHeld() != null ? message.protoIfHeld() : message.protocolProto();
        ByteBuf json = message.jsonIfHeld();
        return new LogPayload(
                json == null ? null : ByteBufUtil.getBytes(json, json.readerIndex(), json.readableBytes(), true),
                proto,
                asProto);
    }

    public static LogPayload of(FeedbackMessage feedback, boolean asProto) {
        return new LogPayload(feedback.jsonIfHeld(), feedback.proto(), asProto);
    }

    /** Roughly the heap the captured forms hold (their serialised sizes), for the queue's byte budget. */
    public long size() {
        return (json == null ? 0 : json.length) + (proto == null ? 0 : proto.getSerializedSize());
    }

    /**
     * The payload in the client's wire form: protobuf bytes for a Seldon gRPC request (as Seldon's
     * executor logs them), JSON otherwise. A component's JSON answer that does not map onto a
     * SeldonMessage is logged as the JSON it is rather than lost.
     */
    public Body body() {
        if (asProto) {
            if (proto != null) {
                return new Body(proto.toByteArray(), PROTOBUF);
            }
            try {
                return new Body(SeldonJson.parseMessage(json).toByteArray(), PROTOBUF);
            } catch (SeldonJsonException e) {
                return new Body(json, JSON);
            }
        }
        return new Body(json != null ? json : ProtoJson.json(proto), JSON);
    }
}
