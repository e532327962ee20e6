package dev.seldonj.engine.message;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seldonj.engine.exec.EngineException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.seldon.protos.PredictionProtos.Meta;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import java.nio.charset.StandardCharsets;

/**
 * The engine's one message representation: a SeldonMessage held in the form it arrived (JSON bytes
 * or protobuf), converted only when a step on the other transport needs it, and otherwise only
 * looked into for its {@code meta}. Graphs of the v2 and tensorflow protocols carry their own
 * payloads: JSON bytes as they came, or that protocol's protobuf ({@link #protocolProto()}), passed
 * between gRPC steps untouched and converted by the protocol's codec where a REST step needs JSON.
 */
public final class Message {

  private static final byte[] OPEN_META = "{\"meta\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] COMMA = {','};
  private static final byte[] CLOSE = {'}'};

  private byte[] json;
  private SeldonMessage proto;
  private SeldonJsonScanner.Layout layout;
  private final com.google.protobuf.Message protocolProto;

  private Message(byte[] json, SeldonMessage proto, SeldonJsonScanner.Layout layout) {
    this.json = json;
    this.proto = proto;
    this.layout = layout;
    this.protocolProto = null;
  }

  private Message(com.google.protobuf.Message protocolProto) {
    this.protocolProto = protocolProto;
  }

  /** A client's request body: checked for structure, failures are 400s naming the JSON path. */
  public static Message request(byte[] json) {
    try {
      return new Message(json, null, SeldonJsonScanner.scan(json, true));
    } catch (SeldonJsonScanner.InvalidJson e) {
      throw EngineException.badRequest("invalid request: " + e.getMessage());
    }
  }

  /** A component's answer: must be a JSON object; its payload is not inspected. */
  public static Message response(byte[] json, String node) {
    try {
      return new Message(json, null, SeldonJsonScanner.scan(json, false));
    } catch (SeldonJsonScanner.InvalidJson e) {
      throw new EngineException(EngineException.Kind.INVALID_RESPONSE, "node '" + node + "' answered an invalid "
          + "SeldonMessage: " + e.getMessage());
    }
  }

  /** JSON built by the engine itself (built-ins), trusted to be a valid SeldonMessage. */
  public static Message trusted(byte[] json) {
    return new Message(json, null, null);
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
   * The JSON bytes when the message holds them, without converting; null otherwise. Like the
   * protobuf form, they are never modified once held, so another thread may read them later.
   */
  public byte[] jsonIfHeld() {
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

  public byte[] json() {
    if (json == null) {
      if (protocolProto != null) {
        throw new EngineException(EngineException.Kind.INTERNAL, "a "
            + protocolProto.getDescriptorForType().getFullName() + " payload has no SeldonMessage JSON form");
      }
      json = ProtoJson.json(proto);
    }
    return json;
  }

  public SeldonMessage proto() {
    if (proto == null) {
      if (protocolProto != null) {
        throw new EngineException(EngineException.Kind.INTERNAL, "a "
            + protocolProto.getDescriptorForType().getFullName() + " payload is not a SeldonMessage");
      }
      proto = ProtoJson.message(json, "message");
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
    } catch (java.io.IOException e) {
      throw new EngineException(EngineException.Kind.INTERNAL, "cannot read meta: " + e.getMessage());
    }
  }

  /** This message as JSON with its meta replaced, without re-serialising the payload. */
  public ByteBuf jsonWithMeta(byte[] metaBytes) {
    if (json == null) {
      return Unpooled.wrappedBuffer(ProtoJson.json(protoWithMeta(metaBytes)));
    }
    SeldonJsonScanner.Layout l = layout();
    CompositeByteBuf out = Unpooled.compositeBuffer(3 + l.spanCount());
    out.addComponent(true, Unpooled.wrappedBuffer(OPEN_META));
    out.addComponent(true, Unpooled.wrappedBuffer(metaBytes));
    int[] spans = l.spans();
    for (int i = 0; i < l.spanCount(); i += 2) {
      out.addComponent(true, Unpooled.wrappedBuffer(COMMA));
      out.addComponent(true, Unpooled.wrappedBuffer(json, spans[i], spans[i + 1] - spans[i]));
    }
    out.addComponent(true, Unpooled.wrappedBuffer(CLOSE));
    return out;
  }

  /** This message as protobuf with its meta replaced. */
  public SeldonMessage protoWithMeta(byte[] metaBytes) {
    Meta.Builder m = Meta.newBuilder();
    ProtoJson.merge(metaBytes, m, "meta");
    return proto().toBuilder().setMeta(m).build();
  }

  private SeldonJsonScanner.Layout layout() {
    if (layout == null) {
      try {
        layout = SeldonJsonScanner.scan(json, false);
      } catch (SeldonJsonScanner.InvalidJson e) {
        throw new EngineException(EngineException.Kind.INVALID_RESPONSE, "invalid SeldonMessage: " + e.getMessage());
      }
    }
    return layout;
  }

}
