package dev.seldonj.local.gateway;

import dev.seldonj.local.ports.LocalPorts;
import java.util.Objects;

/**
 * One address a request can be relayed to: a local process's port on loopback (the local runner) or
 * a pod's IP and container port (a cluster's EndpointSlices). Never a Service address: Emissary's
 * endpoint routing dials pods, and so do we.
 *
 * @param host an IP literal (or a host name the gateway's machine resolves)
 * @param port the TCP port
 */
public record Upstream(String host, int port) {

    public Upstream {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " of " + host + " is not a TCP port");
        }
    }

    /** A port of this machine's loopback, where the local runner's processes listen. */
    public static Upstream loopback(int port) {
        return new Upstream(LocalPorts.LOOPBACK, port);
    }

    /** {@code host:port}, an IPv6 literal in brackets, as a URI authority wants it. */
    public String authority() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return authority();
    }
}
