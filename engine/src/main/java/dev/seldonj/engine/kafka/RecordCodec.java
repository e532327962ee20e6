package dev.seldonj.engine.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.seldonj.engine.core.EngineException;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.RequestContext;
import dev.seldonj.engine.net.InboundHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.seldon.protos.PredictionProtos.Meta;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.PredictionProtos.Status;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * SeldonMessages in and out of Kafka records. As Seldon's executor, the wire follows the transport: JSON with
 * {@code --transport rest}, protobuf with {@code grpc} (Seldon names the message type in a {@code proto-name}
 * header). A record may also say which it is: {@code content-type} {@code application/json} or
 * {@code application/protobuf} ({@code application/x-protobuf}), or a {@code proto-name} header. The answer goes
 * out in the request's wire form, with the request's key, a {@code Seldon-Puid} header and its content type.
 */
final class RecordCodec {

    static final String PROTO_NAME = "proto-name";
    static final String CONTENT_TYPE = "content-type";
    static final String JSON = "application/json";
    static final String PROTOBUF = "application/protobuf";
    private static final String SELDON_MESSAGE = SeldonMessage.getDescriptor().getFullName();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A request taken from a record: the message, the puid it runs under, the headers components see. */
    record Decoded(Message message, String puid, boolean protobuf, List<Map.Entry<String, String>> headers) {}

    private final boolean protobufByDefault;

    /** @param protobufByDefault the transport is grpc: records that do not say otherwise are protobuf */
    RecordCodec(boolean protobufByDefault) {
        this.protobufByDefault = protobufByDefault;
    }

    /** Whether the record is protobuf; throws naming the header when it asks for something else. */
    boolean isProtobuf(Headers headers) {
        String protoName = header(headers, PROTO_NAME);
        if (protoName != null) {
            if (!protoName.equals(SELDON_MESSAGE)) {
                throw EngineException.badRequest(
                        "header " + PROTO_NAME + " is '" + protoName + "': only " + SELDON_MESSAGE + " is served");
            }
            return true;
        }
        String type = header(headers, CONTENT_TYPE);
        if (type == null || type.isBlank()) {
            return protobufByDefault;
        }
        String base = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return switch (base) {
            case JSON -> false;
            case PROTOBUF, "application/x-protobuf", "application/octet-stream" -> true;
            default ->
                throw EngineException.badRequest(
                        "header " + CONTENT_TYPE + " is '" + type + "': send " + JSON + " or " + PROTOBUF);
        };
    }

    /** The record's request; throws an {@link EngineException} (400) naming what is wrong. */
    Decoded decode(ConsumerRecord<byte[], byte[]> record) {
        boolean protobuf = isProtobuf(record.headers());
        byte[] value = record.value();
        if (value == null || value.length == 0) {
            throw EngineException.badRequest(
                    "the record has no value: expected a SeldonMessage (" + (protobuf ? "protobuf" : "JSON") + ")");
        }
        Message message;
        String metaPuid;
        if (protobuf) {
            SeldonMessage proto;
            try {
                proto = SeldonMessage.parseFrom(value);
            } catch (InvalidProtocolBufferException e) {
                throw EngineException.badRequest(
                        "the record's value is not a protobuf " + SELDON_MESSAGE + ": " + e.getMessage());
            }
            message = Message.of(proto);
            metaPuid = proto.hasMeta() ? proto.getMeta().getPuid() : "";
        } else {
            message = Message.request(value);
            ObjectNode meta = message.meta();
            JsonNode p = meta == null ? null : meta.get("puid");
            metaPuid = p != null && p.isTextual() ? p.asText() : "";
        }
        String headerPuid = header(record.headers(), InboundHeaders.PUID);
        String puid = headerPuid != null && !headerPuid.isEmpty()
                ? headerPuid
                : !metaPuid.isEmpty() ? metaPuid : RequestContext.newPuid();
        return new Decoded(message, puid, protobuf, propagated(record.headers()));
    }

    /** The answer's value, in the request's wire form, its meta the request's (puid, tags, routing, request path). */
    static byte[] answer(Message out, RequestContext ctx, boolean protobuf) {
        if (protobuf) {
            return out.protoWithMeta(ctx).toByteArray();
        }
        ByteBuf json = out.jsonWithMeta(ctx, ByteBufAllocator.DEFAULT);
        try {
            return ByteBufUtil.getBytes(json);
        } finally {
            json.release();
        }
    }

    /**
     * Seldon's failure message: {@code status {code, info, reason, status: FAILURE}} and {@code meta.puid}. A
     * component's own error body, when it sent one, is kept in {@code info} after the engine's explanation.
     */
    static byte[] failure(EngineException e, String puid, boolean protobuf) {
        String info = e.getMessage();
        byte[] body = e.passthroughBody();
        if (body != null && body.length > 0) {
            String text = new String(body, 0, Math.min(body.length, 2048), StandardCharsets.UTF_8);
            info = info + ": " + text;
        }
        int code = e.httpStatus();
        if (protobuf) {
            return SeldonMessage.newBuilder()
                    .setStatus(Status.newBuilder()
                            .setCode(code)
                            .setInfo(info)
                            .setReason(e.kind().reason)
                            .setStatus(Status.StatusFlag.FAILURE))
                    .setMeta(Meta.newBuilder().setPuid(puid))
                    .build()
                    .toByteArray();
        }
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode status = root.putObject("status");
        status.put("code", code);
        status.put("info", info);
        status.put("reason", e.kind().reason);
        status.put("status", "FAILURE");
        root.putObject("meta").put("puid", puid);
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** The answer record's headers: the puid, the content type and, for protobuf, Seldon's proto-name. */
    static RecordHeaders answerHeaders(String puid, boolean protobuf) {
        RecordHeaders h = new RecordHeaders();
        h.add(InboundHeaders.PUID, puid.getBytes(StandardCharsets.UTF_8));
        h.add(CONTENT_TYPE, (protobuf ? PROTOBUF : JSON).getBytes(StandardCharsets.US_ASCII));
        if (protobuf) {
            h.add(PROTO_NAME, SELDON_MESSAGE.getBytes(StandardCharsets.US_ASCII));
        }
        return h;
    }

    /** The puid a failure is reported under when the record could not even be decoded. */
    static String puidOf(ConsumerRecord<byte[], byte[]> record) {
        String p = header(record.headers(), InboundHeaders.PUID);
        return p != null && !p.isEmpty() && headerSafe(p) ? p : RequestContext.newPuid();
    }

    /**
     * The record's headers as the request headers components see (as Seldon's executor passes them on), but for
     * those the engine sets itself and any that could not be an HTTP header (they would corrupt the request).
     */
    private static List<Map.Entry<String, String>> propagated(Headers headers) {
        List<Map.Entry<String, String>> out = new ArrayList<>(4);
        for (Header h : headers) {
            String name = h.key();
            if (!InboundHeaders.propagates(name)
                    || name.equalsIgnoreCase(PROTO_NAME)
                    || !token(name)
                    || h.value() == null) {
                continue;
            }
            String value = new String(h.value(), StandardCharsets.UTF_8);
            if (headerSafe(value)) {
                out.add(new AbstractMap.SimpleImmutableEntry<>(name, value));
            }
        }
        return out;
    }

    private static String header(Headers headers, String name) {
        String found = null;
        for (Header h : headers) {
            if (h.key().equalsIgnoreCase(name) && h.value() != null) {
                found = new String(h.value(), StandardCharsets.UTF_8);
            }
        }
        return found;
    }

    private static boolean token(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7f || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean headerSafe(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < ' ' && c != '\t' || c == 0x7f || c > 0xff) {
                return false;
            }
        }
        return true;
    }
}
