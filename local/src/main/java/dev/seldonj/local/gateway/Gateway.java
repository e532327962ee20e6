package dev.seldonj.local.gateway;

import dev.seldonj.local.errors.RunnerException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.function.Supplier;

/**
 * The local stand-in for Emissary: the REST and gRPC gateways, on one shared port (as Emissary's
 * listener) or on two.
 */
public final class Gateway implements AutoCloseable {

    /** A gRPC port value meaning "the REST port": both protocols on one port. */
    public static final int SAME_PORT = -1;

    private final RestGateway rest;
    private final GrpcGateway grpc;
    private final SharedPort shared;

    private Gateway(RestGateway rest, GrpcGateway grpc, SharedPort shared) {
        this.rest = rest;
        this.grpc = grpc;
        this.shared = shared;
    }

    /**
     * Serves fixed routes (the local runner's: its processes do not move).
     *
     * @param restPort the REST port, or the shared port; 0 picks a free one
     * @param grpcPort a separate gRPC port (0 picks a free one), or {@link #SAME_PORT}
     */
    public static Gateway start(Routes routes, int restPort, int grpcPort) throws IOException {
        return start(() -> routes, restPort, grpcPort);
    }

    /**
     * Serves routes that may change while it runs: {@code routes} is read once per request or call
     * (so it must be cheap, e.g. an {@code AtomicReference::get}), and a source that swaps in new
     * routes needs no restart of the listeners.
     */
    public static Gateway start(Supplier<Routes> routes, int restPort, int grpcPort) throws IOException {
        boolean sharing = grpcPort == SAME_PORT;
        RestGateway rest = new RestGateway(routes, sharing ? 0 : restPort);
        GrpcGateway grpc = null;
        try {
            grpc = new GrpcGateway(routes, sharing ? 0 : grpcPort);
            SharedPort shared = sharing ? new SharedPort(restPort, rest.port(), grpc.port()) : null;
            return new Gateway(rest, grpc, shared);
        } catch (IOException | RuntimeException e) {
            rest.close();
            if (grpc != null) {
                grpc.close();
            }
            throw e;
        }
    }

    public int restPort() {
        return shared != null ? shared.port() : rest.port();
    }

    public int grpcPort() {
        return shared != null ? shared.port() : grpc.port();
    }

    @Override
    public void close() {
        if (shared != null) {
            shared.close();
        }
        rest.close();
        grpc.close();
    }

    /**
     * Fails, naming the port and the flag, when a fixed gateway port is taken: checked before any process
     * starts, so that a second run does not start a whole graph only to fail at the end.
     */
    public static void requireFree(int port, String flag) {
        if (port <= 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new RunnerException("the gateway port " + port + " is in use (" + e.getMessage()
                    + "): stop what holds it," + " or pass " + flag + " N (0 = any free port)");
        }
    }
}
