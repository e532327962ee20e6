package dev.seldonj.local.process;

import dev.seldonj.local.plan.PodPlan;
import dev.seldonj.local.ports.LocalPorts;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * When a container counts as ready: its readiness probe (HTTP GET or TCP, on the probe's port mapped
 * to its local number), or, with no probe, a TCP connection to each port it declares. A container
 * with neither is ready once started.
 */
public interface ReadinessCheck {

    Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(2);
    HttpClient HTTP = HttpClient.newBuilder().connectTimeout(ATTEMPT_TIMEOUT).build();

    boolean ready();

    String describe();

    static ReadinessCheck of(PodPlan pod, Container container, LocalPorts ports) {
        Probe probe = container.getReadinessProbe();
        if (probe != null && probe.getHttpGet() != null) {
            var get = probe.getHttpGet();
            Integer port = ports.local(pod, container, get.getPort()).orElse(null);
            String path = get.getPath() == null ? "/" : get.getPath();
            if (port != null) {
                return http(port, path);
            }
        }
        if (probe != null && probe.getTcpSocket() != null) {
            Integer port =
                    ports.local(pod, container, probe.getTcpSocket().getPort()).orElse(null);
            if (port != null) {
                return tcp(List.of(port));
            }
        }
        List<Integer> declared = container.getPorts().stream()
                .map(ContainerPort::getContainerPort)
                .distinct()
                .map(p -> ports.local(pod, p).orElseThrow())
                .toList();
        return declared.isEmpty() ? started() : tcp(declared);
    }

    static ReadinessCheck http(int port, String path) {
        URI uri = URI.create("http://" + LocalPorts.LOOPBACK + ":" + port + (path.startsWith("/") ? path : "/" + path));
        return new ReadinessCheck() {
            @Override
            public boolean ready() {
                try {
                    HttpResponse<Void> response = HTTP.send(
                            HttpRequest.newBuilder(uri)
                                    .timeout(ATTEMPT_TIMEOUT)
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
                    return response.statusCode() >= 200 && response.statusCode() < 400;
                } catch (IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }

            @Override
            public String describe() {
                return "HTTP GET " + uri + " answering 2xx/3xx";
            }
        };
    }

    static ReadinessCheck tcp(List<Integer> localPorts) {
        return new ReadinessCheck() {
            @Override
            public boolean ready() {
                for (int port : localPorts) {
                    try (Socket socket = new Socket()) {
                        socket.connect(
                                new InetSocketAddress(LocalPorts.LOOPBACK, port), (int) ATTEMPT_TIMEOUT.toMillis());
                    } catch (IOException e) {
                        return false;
                    }
                }
                return true;
            }

            @Override
            public String describe() {
                return "TCP connection to " + LocalPorts.LOOPBACK + " port(s) " + localPorts;
            }
        };
    }

    static ReadinessCheck started() {
        return new ReadinessCheck() {
            @Override
            public boolean ready() {
                return true;
            }

            @Override
            public String describe() {
                return "process started (no probe, no ports)";
            }
        };
    }
}
