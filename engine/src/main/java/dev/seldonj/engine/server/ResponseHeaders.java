package dev.seldonj.engine.server;

import dev.seldonj.engine.config.EngineConfig;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpRequest;

/** The headers every REST answer may get beyond its own: cross-origin ones and CloudEvents attributes. */
public final class ResponseHeaders {

    private final CorsHeaders cors;
    private final CloudEventHeaders cloudEvents;

    public ResponseHeaders(EngineConfig config) {
        this.cors = new CorsHeaders(config.cors());
        this.cloudEvents = new CloudEventHeaders(config.deploymentName(), config.namespace());
    }

    /** Writes the header lines the request asks for into an answer's head ({@link HttpAnswer}). */
    void write(HttpRequest req, String puid, ByteBuf head) {
        cors.write(req.method(), req.headers(), head);
        cloudEvents.write(req, puid, head);
    }
}
