package dev.seldonj.engine.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.EventLoop;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One request's state while the graph runs: its puid, the headers to propagate to components, the
 * event loop its component calls run on, and the meta gathered along the way (tags of every step,
 * the branch each node took, the image of each node visited). Children run concurrently, so the
 * meta maps are guarded; contention is negligible (one request).
 */
public final class RequestContext {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> OWN_FIELDS = Set.of("puid", "tags", "routing", "requestPath");

  /** Seldon's header (REST) or metadata key (gRPC) that turns payload logging off for one request. */
  public static final String SKIP_LOGGING = "Seldon-Skip-Logging";
  /** The spellings of true that Go's strconv.ParseBool accepts, as Seldon's executor reads the header. */
  private static final Set<String> TRUE = Set.of("1", "t", "T", "TRUE", "true", "True");
  private static final byte UNKNOWN = 0;
  private static final byte LOG = 1;
  private static final byte SKIP = 2;

  private final String puid;
  private final List<Map.Entry<String, String>> headers;
  private final EventLoop eventLoop;
  private final boolean protoWire;
  /**
   * {@link #UNKNOWN} (the default, left implicit: no volatile store per request) until a node with a
   * logger is reached; the scan is idempotent, so a race only repeats it.
   */
  private volatile byte skipLogging;
  private final Map<String, JsonNode> tags = new LinkedHashMap<>();
  private final Map<String, Integer> routing = new LinkedHashMap<>();
  private final Map<String, String> requestPath = new LinkedHashMap<>();

  public RequestContext(String puid, List<Map.Entry<String, String>> headers, EventLoop eventLoop) {
    this(puid, headers, eventLoop, false);
  }

  /** @param protoWire whether the client spoke protobuf (Seldon gRPC): payload log events then carry protobuf */
  public RequestContext(String puid, List<Map.Entry<String, String>> headers, EventLoop eventLoop, boolean protoWire) {
    this.puid = puid;
    this.headers = headers;
    this.eventLoop = eventLoop;
    this.protoWire = protoWire;
  }

  /** A random UUID v4 without SecureRandom's cost: a puid is an id, not a secret. */
  public static String newPuid() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new java.util.UUID(msb, lsb).toString();
  }

  public String puid() {
    return puid;
  }

  public List<Map.Entry<String, String>> headers() {
    return headers;
  }

  public EventLoop eventLoop() {
    return eventLoop;
  }

  public boolean protoWire() {
    return protoWire;
  }

  /** Whether the client asked for no payload logging ({@code Seldon-Skip-Logging: true}). */
  public boolean skipLogging() {
    byte s = skipLogging;
    if (s == UNKNOWN) {
      s = LOG;
      for (Map.Entry<String, String> h : headers) {
        if (h.getKey().equalsIgnoreCase(SKIP_LOGGING) && TRUE.contains(h.getValue().trim())) {
          s = SKIP;
        }
      }
      skipLogging = s;
    }
    return s == SKIP;
  }

  /** Merges the tags and request path of a step's output (later steps win on equal keys). */
  public synchronized void absorb(ObjectNode meta) {
    if (meta == null) {
      return;
    }
    JsonNode t = meta.get("tags");
    if (t != null && t.isObject()) {
      t.fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue()));
    }
    JsonNode rp = meta.get("requestPath");
    if (rp != null && rp.isObject()) {
      rp.fields().forEachRemaining(e -> requestPath.putIfAbsent(e.getKey(), e.getValue().asText()));
    }
  }

  public synchronized void visited(String node, String image) {
    requestPath.put(node, image);
  }

  public synchronized void routed(String node, int branch) {
    routing.put(node, branch);
  }

  /**
   * The response's meta as JSON: the final message's own meta (metrics and anything else kept), with
   * the request's puid, the merged tags, the routing of every node with children, and the request
   * path. Written straight to bytes: this runs once per request.
   */
  public synchronized byte[] responseMeta(ObjectNode finalMeta) {
    absorbTagsOnly(finalMeta);
    ByteArrayOutputStream out = new ByteArrayOutputStream(128 + 32 * (tags.size() + requestPath.size()));
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
    } catch (IOException e) {
      throw new EngineException(EngineException.Kind.INTERNAL, "cannot write meta: " + e.getMessage());
    }
    return out.toByteArray();
  }

  private void absorbTagsOnly(ObjectNode meta) {
    if (meta != null && meta.get("tags") instanceof ObjectNode t) {
      t.fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue()));
    }
  }
}
