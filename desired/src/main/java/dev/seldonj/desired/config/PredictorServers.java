package dev.seldonj.desired.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.seldonj.api.model.Protocol;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Seldon's {@code predictor_servers}: for each prepackaged implementation, the image per protocol.
 * Keys are implementation names as Seldon spells them ({@code SKLEARN_SERVER}); configuration layers
 * that normalise property names ({@code sklearn-server}) are mapped back, so either spelling works.
 */
public final class PredictorServers {

    /** One server's images per protocol ({@code seldon}, {@code v2}, {@code kfserving}, {@code tensorflow}). */
    public record Server(Map<String, ServerImage> protocols) {
        public Server {
            protocols = protocols == null ? Map.of() : Map.copyOf(protocols);
        }
    }

    /** An image and the tag used when the image names none. */
    public record ServerImage(String image, String defaultImageVersion) {
        public String reference() {
            return defaultImageVersion == null || defaultImageVersion.isEmpty()
                    ? image
                    : image + ":" + defaultImageVersion;
        }
    }

    private final Map<String, Server> servers;

    @JsonCreator
    public PredictorServers(Map<String, Server> servers) {
        Map<String, Server> normalised = new TreeMap<>();
        if (servers != null) {
            servers.forEach((name, server) -> normalised.put(implementationName(name), server));
        }
        this.servers = Map.copyOf(normalised);
    }

    /** {@code sklearn-server} or {@code sklearn_server} -> {@code SKLEARN_SERVER}. */
    static String implementationName(String key) {
        return key.replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @JsonValue
    public Map<String, Server> servers() {
        return servers;
    }

    public Set<String> names() {
        return servers.keySet();
    }

    /**
     * The image for an implementation and protocol, with Seldon's fallbacks: no protocol means
     * {@code seldon}; {@code v2} and {@code kfserving} stand in for each other.
     */
    public Optional<String> image(String implementation, Protocol protocol) {
        return entry(implementation, protocol).map(ServerImage::reference);
    }

    public Optional<ServerImage> entry(String implementation, Protocol protocol) {
        Server server = implementation == null ? null : servers.get(implementation);
        if (server == null) {
            return Optional.empty();
        }
        Protocol p = protocol == null ? Protocol.SELDON : protocol;
        ServerImage image = server.protocols().get(p.wireName());
        if (image == null && p == Protocol.V2) {
            image = server.protocols().get(Protocol.KFSERVING.wireName());
        } else if (image == null && p == Protocol.KFSERVING) {
            image = server.protocols().get(Protocol.V2.wireName());
        }
        return Optional.ofNullable(image);
    }
}
