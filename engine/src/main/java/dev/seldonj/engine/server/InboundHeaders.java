package dev.seldonj.engine.server;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The client's headers a component should see: all but hop-by-hop, framing and body headers. */
public final class InboundHeaders {

  public static final String PUID = "Seldon-Puid";

  private static final Set<String> NOT_PROPAGATED = Set.of("host", "content-length", "content-type", "connection",
      "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "expect", "proxy-connection", "accept-encoding",
      "content-encoding", "seldon-puid");

  private InboundHeaders() {}

  public static List<Map.Entry<String, String>> propagated(HttpHeaders headers) {
    List<Map.Entry<String, String>> out = null;
    for (Map.Entry<String, String> h : headers) {
      if (!NOT_PROPAGATED.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) {
        if (out == null) {
          out = new ArrayList<>(4);
        }
        out.add(h);
      }
    }
    return out == null ? List.of() : out;
  }

  public static boolean propagates(String name) {
    return !NOT_PROPAGATED.contains(name.toLowerCase(java.util.Locale.ROOT));
  }
}
