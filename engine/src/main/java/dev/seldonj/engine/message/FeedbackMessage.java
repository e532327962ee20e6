package dev.seldonj.engine.message;

import io.seldon.protos.PredictionProtos.Feedback;

/**
 * A feedback request ({@code request}, {@code response}, {@code reward}, {@code truth}). Feedback is
 * not on the hot path, so it is parsed once into protobuf (which validates it); REST components still
 * get the bytes as the client sent them.
 */
public final class FeedbackMessage {

  private final byte[] json;
  private final Feedback proto;

  private FeedbackMessage(byte[] json, Feedback proto) {
    this.json = json;
    this.proto = proto;
  }

  public static FeedbackMessage request(byte[] json) {
    return new FeedbackMessage(json, ProtoJson.feedback(json, "feedback request"));
  }

  public static FeedbackMessage of(Feedback proto) {
    return new FeedbackMessage(null, proto);
  }

  /** Whether the feedback arrived as JSON (REST) rather than protobuf (gRPC). */
  public boolean isJson() {
    return json != null;
  }

  /** The JSON bytes as the client sent them (never modified), or null for gRPC feedback. */
  public byte[] jsonIfHeld() {
    return json;
  }

  public byte[] json() {
    return json != null ? json : ProtoJson.json(proto);
  }

  public Feedback proto() {
    return proto;
  }

  public float reward() {
    return proto.getReward();
  }

  /** The branch this node took for the original prediction; -1 (all children) when not recorded. */
  public int routing(String node) {
    return proto.getResponse().getMeta().getRoutingOrDefault(node, -1);
  }

  /** The puid of the prediction this feedback is about, or empty. */
  public String puid() {
    String p = proto.getResponse().getMeta().getPuid();
    return p.isEmpty() ? proto.getRequest().getMeta().getPuid() : p;
  }
}
