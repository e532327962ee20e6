package dev.seldonj.node.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.seldonj.local.gateway.RawBytes;
import dev.seldonj.node.container.Security;
import dev.seldonj.node.container.Tools;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Probe attempts against real local servers (HTTP, TCP, gRPC health). */
class ProbeRunnerIT {

    private final ProbeRunner runner =
            new ProbeRunner(new Tools("setsid", "ip", "unshare", "setpriv", "nsenter", "sh"));
    private HttpServer http;
    private final AtomicReference<String> hostHeader = new AtomicReference<>();
    private ProbeTarget target;

    @BeforeEach
    void start() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/ok", e -> {
            hostHeader.set(e.getRequestHeaders().getFirst("X-Probe"));
            e.sendResponseHeaders(200, -1);
            e.close();
        });
        http.createContext("/redirect", e -> {
            e.getResponseHeaders().add("Location", "/elsewhere");
            e.sendResponseHeaders(302, -1);
            e.close();
        });
        http.createContext("/broken", e -> {
            e.sendResponseHeaders(500, -1);
            e.close();
        });
        http.start();
        target = new ProbeTarget(
                "127.0.0.1",
                List.of(new ContainerPortBuilder()
                        .withName("web")
                        .withContainerPort(http.getAddress().getPort())
                        .build()),
                0,
                Map.of(),
                new Security(null, null, List.of(), false));
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    private static Probe httpGet(String path, IntOrString port) {
        return new ProbeBuilder()
                .withNewHttpGet()
                .withPath(path)
                .withPort(port)
                .addNewHttpHeader()
                .withName("X-Probe")
                .withValue("yes")
                .endHttpHeader()
                .endHttpGet()
                .withTimeoutSeconds(2)
                .build();
    }

    @Test
    void httpGetSucceedsOn2xxAnd3xxByNamedOrNumberedPortWithItsHeaders() {
        assertThat(runner.probe(httpGet("/ok", new IntOrString("web")), target)).isNull();
        assertThat(hostHeader.get()).isEqualTo("yes");
        assertThat(runner.probe(
                        httpGet("/redirect", new IntOrString(http.getAddress().getPort())), target))
                .isNull();
        assertThat(runner.probe(httpGet("/broken", new IntOrString("web")), target))
                .isEqualTo("HTTP probe failed with statuscode: 500");
        assertThat(runner.probe(httpGet("/ok", new IntOrString("nope")), target))
                .isEqualTo("the container has no port named nope");
    }

    @Test
    void tcpSocketNeedsAListener() throws IOException {
        Probe tcp = new ProbeBuilder()
                .withNewTcpSocket()
                .withPort(new IntOrString("web"))
                .endTcpSocket()
                .build();
        assertThat(runner.probe(tcp, target)).isNull();
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Probe refused = new ProbeBuilder()
                .withNewTcpSocket()
                .withPort(new IntOrString(closed))
                .endTcpSocket()
                .build();
        assertThat(runner.probe(refused, target)).startsWith("dial tcp 127.0.0.1:" + closed);
    }

    @Test
    void grpcAsksTheHealthServiceForTheNamedService() throws IOException {
        MethodDescriptor.Marshaller<byte[]> bytes = RawBytes.MARSHALLER;
        MethodDescriptor<byte[], byte[]> check = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName("grpc.health.v1.Health/Check")
                .setRequestMarshaller(bytes)
                .setResponseMarshaller(bytes)
                .build();
        // SERVING (1) for every service but "down", which is NOT_SERVING (2).
        ServerServiceDefinition health = ServerServiceDefinition.builder("grpc.health.v1.Health")
                .addMethod(check, ServerCalls.asyncUnaryCall((request, answer) -> {
                    boolean down = new String(request).contains("down");
                    answer.onNext(new byte[] {0x08, (byte) (down ? 2 : 1)});
                    answer.onCompleted();
                }))
                .build();
        Server server = ServerBuilder.forPort(0).addService(health).build().start();
        try {
            Probe serving = new ProbeBuilder()
                    .withNewGrpc()
                    .withPort(server.getPort())
                    .endGrpc()
                    .withTimeoutSeconds(2)
                    .build();
            assertThat(runner.probe(serving, target)).isNull();
            Probe down = new ProbeBuilder()
                    .withNewGrpc()
                    .withPort(server.getPort())
                    .withService("down")
                    .endGrpc()
                    .withTimeoutSeconds(2)
                    .build();
            assertThat(runner.probe(down, target)).isEqualTo("health status 2 (not SERVING)");
        } finally {
            server.shutdownNow();
        }
    }
}
