package dev.seldonj.engine.tracing;

import dev.seldonj.engine.core.EngineException;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * One traced request: its server span, the context its step spans are children of, and the client's headers
 * less its trace headers. The component clients call {@link #inject} while a step's span is current
 * ({@code client.TracedClient} makes it so around the call, which writes its headers before returning).
 */
public final class RequestTrace {

    public static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");

    private final EngineTracing tracing;
    private final Span span;
    private final Context context;
    private final List<Map.Entry<String, String>> headers;

    RequestTrace(EngineTracing tracing, Span span, Context context, List<Map.Entry<String, String>> headers) {
        this.tracing = tracing;
        this.span = span;
        this.context = context;
        this.headers = headers;
    }

    /** The headers components should see besides the engine's own trace headers. */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    public void puid(String puid) {
        span.setAttribute(EngineTracing.PUID, puid);
    }

    public Context context() {
        return context;
    }

    public EngineTracing tracing() {
        return tracing;
    }

    /** Writes the current step's context (the request's when no step span is current) as trace headers. */
    public void inject(BiConsumer<String, String> header) {
        Context current = Context.current();
        tracing.injector().inject(Span.fromContextOrNull(current) != null ? current : context, header, SETTER);
    }

    /** Ends the server span; an error sets its status and the HTTP status the client is answered with. */
    public void end(Throwable error) {
        if (error != null) {
            EngineException e = EngineException.of(error);
            span.setAttribute(HTTP_STATUS, (long) e.httpStatus());
            span.setStatus(StatusCode.ERROR, e.getMessage() == null ? e.kind().name() : e.getMessage());
        } else {
            span.setAttribute(HTTP_STATUS, 200L);
        }
        span.end();
    }

    private static final TextMapSetter<BiConsumer<String, String>> SETTER = (carrier, key, value) -> {
        if (carrier != null) {
            carrier.accept(key, value);
        }
    };
}
