package dev.seldonj.engine.payloadlog;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A payload log event in CloudEvents 1.0 binary HTTP mode, as Seldon's executor sends it: the
 * attributes (and Seldon's extensions) as {@code ce-} headers, the payload as the body with its own
 * Content-Type.
 */
public record CloudEvent(URI target, List<Map.Entry<String, String>> headers, byte[] body) {

    public static final String SPEC_VERSION = "1.0";

    /**
     * What every event of this engine says about where it comes from.
     *
     * @param source the executor's URL, {@code http://<hostname>:<http port>/} ({@code ce-source})
     * @param inferenceServiceName the SeldonDeployment ({@code ce-inferenceservicename})
     * @param namespace its namespace ({@code ce-namespace})
     * @param endpoint the predictor ({@code ce-endpoint})
     * @param protocol the graph's protocol, as passed with {@code --protocol} ({@code ce-protocol})
     */
    public record Origin(
            String source, String inferenceServiceName, String namespace, String endpoint, String protocol) {

        public static String sourceUrl(String hostname, int httpPort) {
            return "http://" + hostname + ":" + httpPort + "/";
        }
    }

    public static CloudEvent binary(LogEvent e, Origin origin) {
        LogPayload.Body body = e.payload().body();
        List<Map.Entry<String, String>> headers = List.of(
                Map.entry("ce-specversion", SPEC_VERSION),
                Map.entry("ce-id", e.id()),
                Map.entry("ce-source", origin.source()),
                Map.entry("ce-type", e.type().ceType),
                Map.entry("ce-time", e.time().toString()),
                Map.entry("ce-modelid", e.modelId()),
                Map.entry("ce-requestid", e.requestId()),
                Map.entry("ce-inferenceservicename", origin.inferenceServiceName()),
                Map.entry("ce-namespace", origin.namespace()),
                Map.entry("ce-endpoint", origin.endpoint()),
                Map.entry("ce-protocol", origin.protocol()),
                Map.entry("Content-Type", body.contentType()));
        return new CloudEvent(e.sink().uri(), headers, body.bytes());
    }
}
