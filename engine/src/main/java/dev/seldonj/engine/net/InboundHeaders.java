package dev.seldonj.engine.net;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The client's headers a component should see: all but hop-by-hop, framing and body headers. */
public final class InboundHeaders {

    public static final String PUID = "Seldon-Puid";

    private static final AsciiString[] NOT_PROPAGATED = {
        AsciiString.of("host"),
        AsciiString.of("content-length"),
        AsciiString.of("content-type"),
        AsciiString.of("connection"),
        AsciiString.of("keep-alive"),
        AsciiString.of("transfer-encoding"),
        AsciiString.of("te"),
        AsciiString.of("trailer"),
        AsciiString.of("upgrade"),
        AsciiString.of("expect"),
        AsciiString.of("proxy-connection"),
        AsciiString.of("accept-encoding"),
        AsciiString.of("content-encoding"),
        AsciiString.of("seldon-puid")
    };

    private InboundHeaders() {}

    /** Compared in place, ignoring case: no per-request strings for the headers left out (most of them). */
    public static List<Map.Entry<String, String>> propagated(HttpHeaders headers) {
        List<Map.Entry<String, String>> out = null;
        Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
        while (it.hasNext()) {
            Map.Entry<CharSequence, CharSequence> h = it.next();
            if (propagates(h.getKey())) {
                if (out == null) {
                    out = new ArrayList<>(4);
                }
                out.add(new AbstractMap.SimpleImmutableEntry<>(
                        h.getKey().toString(), h.getValue().toString()));
            }
        }
        return out == null ? List.of() : out;
    }

    public static boolean propagates(CharSequence name) {
        for (AsciiString n : NOT_PROPAGATED) {
            if (n.contentEqualsIgnoreCase(name)) {
                return false;
            }
        }
        return true;
    }
}
