package dev.seldonj.node.gateway;

import java.util.Arrays;
import java.util.Locale;

/**
 * A Mapping's {@code service}, read as Emissary reads it for a Kubernetes Service:
 * {@code [http://]name[.namespace[.svc[.cluster.local]]][:port]}, the namespace defaulting to the
 * Mapping's and the port to 80. Anything else (an IP, an outside host name, {@code https://}) is
 * refused: this gateway only dials the ready pods of a Service of this cluster.
 *
 * @param namespace the Service's namespace
 * @param name the Service's name
 * @param port the Service port (not the targetPort: Emissary's semantics)
 */
record ServiceRef(String namespace, String name, int port) {

    static final int DEFAULT_PORT = 80;
    private static final String HTTP = "http://";
    private static final String HTTPS = "https://";

    /**
     * @throws IllegalArgumentException saying what is wrong with {@code service}
     */
    static ServiceRef parse(String service, String mappingNamespace) {
        String text = service.trim();
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith(HTTPS)) {
            throw new IllegalArgumentException(
                    "service " + service + ": TLS to the upstream (https://) is not supported here");
        }
        if (lower.startsWith(HTTP)) {
            text = text.substring(HTTP.length());
        }
        int port = DEFAULT_PORT;
        int colon = text.lastIndexOf(':');
        if (colon >= 0) {
            port = port(service, text.substring(colon + 1));
            text = text.substring(0, colon);
        }
        String host = stripSuffix(stripSuffix(text, ".svc.cluster.local"), ".svc");
        String[] labels = host.split("\\.", -1);
        boolean valid = !host.isEmpty()
                && labels.length <= 2
                && !host.contains("/")
                && Arrays.stream(labels).noneMatch(String::isEmpty);
        if (!valid) {
            throw new IllegalArgumentException("service " + service
                    + " is not a Service of this cluster (name[.namespace][.svc[.cluster.local]][:port])");
        }
        return new ServiceRef(labels.length == 2 ? labels[1] : mappingNamespace, labels[0], port);
    }

    String qualifiedName() {
        return namespace + "/" + name;
    }

    /** The key of the Service in an informer's store and of its EndpointSlices' service-name label. */
    String key() {
        return qualifiedName();
    }

    private static int port(String service, String digits) {
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit) || digits.length() > 5) {
            throw new IllegalArgumentException("service " + service + ": '" + digits + "' is not a port number");
        }
        int port = Integer.parseInt(digits);
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("service " + service + ": port " + port + " is out of range");
        }
        return port;
    }

    private static String stripSuffix(String text, String suffix) {
        return text.endsWith(suffix) ? text.substring(0, text.length() - suffix.length()) : text;
    }
}
