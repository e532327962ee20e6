package dev.seldonj.api.defaults;

import dev.seldonj.api.model.Protocol;
import java.util.Optional;

/**
 * Settings that defaulting depends on, as Seldon's operator reads them from its environment and its
 * {@code predictor_servers} configuration.
 *
 * @param httpPortBase first HTTP port given to component containers (PREDICTIVE_UNIT_HTTP_SERVICE_PORT, 9000)
 * @param grpcPortBase first gRPC port given to component containers (PREDICTIVE_UNIT_GRPC_SERVICE_PORT, 9500)
 * @param metricsPortBase first metrics port given to component containers (PREDICTIVE_UNIT_METRICS_SERVICE_PORT, 6000)
 * @param serverImages the image of a prepackaged server for a protocol, if one is configured
 */
public record DefaultingConfig(int httpPortBase, int grpcPortBase, int metricsPortBase, ServerImages serverImages) {

    public static final int HTTP_PORT_BASE = 9000;
    public static final int GRPC_PORT_BASE = 9500;
    public static final int METRICS_PORT_BASE = 6000;

    /** Looks up the image of a prepackaged server. */
    @FunctionalInterface
    public interface ServerImages {
        Optional<String> image(String implementation, Protocol protocol);
    }

    /** Seldon's default ports and no configured server images. */
    public static DefaultingConfig defaults() {
        return new DefaultingConfig(
                HTTP_PORT_BASE, GRPC_PORT_BASE, METRICS_PORT_BASE, (impl, protocol) -> Optional.empty());
    }
}
