package dev.seldonj.engine.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seldonj.api.protocol.SeldonJson;
import dev.seldonj.engine.core.MemoryBudget;
import dev.seldonj.engine.tracing.RequestTrace;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.seldon.protos.PredictionProtos.Meta;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One request's state while the graph runs: its puid, the headers to propagate to components, the
 * event loop its component calls run on, the meta gathered along the way (tags of every step, the
 * branch each node took, the image of each node visited), and the pooled buffers holding component
 * answers, released together once the answer has been written. Children may complete on other
 * threads (gRPC), so the state is guarded; contention is negligible (one request).
 */
public final class RequestContext {

    private static final byte[] PUID = {'"', 'p', 'u', 'i', 'd', '"', ':'};
    private static final byte[] TAGS = {',', '"', 't', 'a', 'g', 's', '"', ':', '{'};
    private static final byte[] ROUTING = {'}', ',', '"', 'r', 'o', 'u', 't', 'i', 'n', 'g', '"', ':', '{'};
    private static final byte[] REQUEST_PATH = {
        '}', ',', '"', 'r', 'e', 'q', 'u', 'e', 's', 't', 'P', 'a', 't', 'h', '"', ':', '{'
    };

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
    // Created when first needed: a single-model request without meta needs only requestPath.
    private Map<String, JsonNode> tags;
    private Map<String, Integer> routing;
    private final Map<String, String> requestPath = new LinkedHashMap<>(4);
    private Object owned;
    private long ownedBytes;
    private boolean released;
    private boolean finalMetaDeferred;
    /** The request's trace, or null when tracing is off (the clients then write no trace headers). */
    private RequestTrace trace;

    public RequestContext(String puid, List<Map.Entry<String, String>> headers, EventLoop eventLoop) {
        this(puid, headers, eventLoop, false);
    }

    /** @param protoWire whether the client spoke protobuf (Seldon gRPC): payload log events then carry protobuf */
    public RequestContext(
            String puid, List<Map.Entry<String, String>> headers, EventLoop eventLoop, boolean protoWire) {
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
        return new UUID(msb, lsb).toString();
    }

    public String puid() {
        return puid;
    }

    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    public RequestTrace trace() {
        return trace;
    }

    public void trace(RequestTrace trace) {
        this.trace = trace;
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
                if (h.getKey().equalsIgnoreCase(SKIP_LOGGING)
                        && TRUE.contains(h.getValue().trim())) {
                    s = SKIP;
                }
            }
            skipLogging = s;
        }
        return s == SKIP;
    }

    /**
     * Takes a pooled buffer (a component's answer) to release with the request. False when the request
     * has already ended (an error elsewhere): the buffer is released now and must not be used.
     */
    public synchronized boolean own(ByteBuf buf) {
        if (released) {
            buf.release();
            return false;
        }
        // Received already: counted against the memory budget until the request ends, never refused here.
        int bytes = buf.readableBytes();
        MemoryBudget.global().reserve(bytes);
        ownedBytes += bytes;
        if (owned == null) {
            owned = buf;
        } else if (owned instanceof ByteBuf first) {
            List<ByteBuf> all = new ArrayList<>(4);
            all.add(first);
            all.add(buf);
            owned = all;
        } else {
            @SuppressWarnings("unchecked")
            List<ByteBuf> all = (List<ByteBuf>) owned;
            all.add(buf);
        }
        return true;
    }

    /** Releases every buffer taken by {@link #own}; once, when the request's answer has been written or failed. */
    public synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        MemoryBudget.global().release(ownedBytes);
        ownedBytes = 0;
        if (owned instanceof ByteBuf b) {
            b.release();
        } else if (owned != null) {
            @SuppressWarnings("unchecked")
            List<ByteBuf> all = (List<ByteBuf>) owned;
            all.forEach(ByteBuf::release);
        }
        owned = null;
    }

    /** Merges the tags and request path of a step's output (later steps win on equal keys). */
    public synchronized void absorb(ObjectNode meta) {
        if (meta == null) {
            return;
        }
        absorbTags(meta);
        JsonNode rp = meta.get("requestPath");
        if (rp != null && rp.isObject()) {
            rp.fields()
                    .forEachRemaining(e ->
                            requestPath.putIfAbsent(e.getKey(), e.getValue().asText()));
        }
    }

    private void absorbTags(ObjectNode meta) {
        if (meta.get("tags") instanceof ObjectNode t && !t.isEmpty()) {
            if (tags == null) {
                tags = new LinkedHashMap<>();
            }
            t.fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue()));
        }
    }

    public synchronized void visited(String node, String image) {
        requestPath.put(node, image);
    }

    /** The executor leaves merging the final message's meta (tags and request path) to the answer's writer. */
    public synchronized void deferFinalMeta() {
        finalMetaDeferred = true;
    }

    public synchronized void routed(String node, int branch) {
        if (routing == null) {
            routing = new LinkedHashMap<>(4);
        }
        routing.put(node, branch);
    }

    /**
     * {@link #writeResponseMeta} for a protobuf answer, built as protobuf: the final message's own meta
     * (its metrics) with the request's puid, merged tags, routing and request path.
     */
    public synchronized Meta responseMeta(Meta finalMeta) {
        Meta.Builder meta;
        if (finalMeta == null) {
            meta = Meta.newBuilder();
        } else {
            if (finalMeta.getTagsCount() > 0) {
                if (tags == null) {
                    tags = new LinkedHashMap<>();
                }
                finalMeta.getTagsMap().forEach((k, v) -> tags.put(k, SeldonJson.json(v)));
            }
            if (finalMetaDeferred) {
                finalMeta.getRequestPathMap().forEach(requestPath::putIfAbsent);
            }
            meta = finalMeta.toBuilder().clearPuid().clearTags().clearRouting().clearRequestPath();
        }
        meta.setPuid(puid);
        if (tags != null) {
            tags.forEach((k, v) -> meta.putTags(k, SeldonJson.value(v)));
        }
        if (routing != null) {
            meta.putAllRouting(routing);
        }
        return meta.putAllRequestPath(requestPath).build();
    }

    /** {@link #writeResponseMeta} as bytes. */
    public byte[] responseMeta(ObjectNode finalMeta) {
        ByteBuf out = Unpooled.buffer(256);
        writeResponseMeta(out, finalMeta);
        return ByteBufUtil.getBytes(out);
    }

    /**
     * Writes the response's meta as JSON: the final message's own meta (metrics and anything else kept),
     * with the request's puid, the merged tags, the routing of every node with children, and the
     * request path. The final message's tags are merged again (they win over concurrent siblings'); its
     * request path too when the executor deferred that ({@link #deferFinalMeta}).
     */
    public synchronized void writeResponseMeta(ByteBuf out, ObjectNode finalMeta) {
        if (finalMetaDeferred) {
            absorb(finalMeta);
        } else if (finalMeta != null) {
            absorbTags(finalMeta);
        }
        out.writeByte('{');
        if (finalMeta != null) {
            Iterator<Map.Entry<String, JsonNode>> fields = finalMeta.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                String k = f.getKey();
                if (!k.equals("puid") && !k.equals("tags") && !k.equals("routing") && !k.equals("requestPath")) {
                    JsonWriter.field(out, k);
                    JsonWriter.node(out, f.getValue());
                    out.writeByte(',');
                }
            }
        }
        out.writeBytes(PUID);
        JsonWriter.string(out, puid);
        out.writeBytes(TAGS);
        if (tags != null) {
            boolean first = true;
            for (Map.Entry<String, JsonNode> t : tags.entrySet()) {
                if (!first) {
                    out.writeByte(',');
                }
                first = false;
                JsonWriter.field(out, t.getKey());
                JsonWriter.node(out, t.getValue());
            }
        }
        out.writeBytes(ROUTING);
        if (routing != null) {
            boolean first = true;
            for (Map.Entry<String, Integer> r : routing.entrySet()) {
                if (!first) {
                    out.writeByte(',');
                }
                first = false;
                JsonWriter.field(out, r.getKey());
                JsonWriter.integer(out, r.getValue());
            }
        }
        out.writeBytes(REQUEST_PATH);
        boolean first = true;
        for (Map.Entry<String, String> p : requestPath.entrySet()) {
            if (!first) {
                out.writeByte(',');
            }
            first = false;
            JsonWriter.field(out, p.getKey());
            JsonWriter.string(out, p.getValue());
        }
        out.writeByte('}');
        out.writeByte('}');
    }
}
