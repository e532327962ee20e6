package dev.seldonj.local.gateway;

import dev.seldonj.local.ports.LocalPorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One port for REST and gRPC, as Emissary serves both on one listener (so Seldon's clients, whose
 * {@code gateway_endpoint} is the same for both transports, work unchanged): a connection that opens
 * with the HTTP/2 preface ({@code PRI * HTTP/2.0}, gRPC over h2c) is relayed to the gRPC gateway,
 * any other to the REST gateway. Bytes are copied as they come; a thread pair per connection is
 * plenty for a development gateway.
 */
final class SharedPort implements AutoCloseable {

    private static final byte[] H2_PREFACE_START = "PRI ".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final int restPort;
    private final int grpcPort;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "gateway-port");
        t.setDaemon(true);
        return t;
    });

    SharedPort(int port, int restPort, int grpcPort) throws IOException {
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        this.restPort = restPort;
        this.grpcPort = grpcPort;
        threads.execute(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                threads.execute(() -> relay(client));
            } catch (IOException e) {
                // Closed while accepting: the gateway is stopping.
            }
        }
    }

    private void relay(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            byte[] start = in.readNBytes(H2_PREFACE_START.length);
            if (start.length == 0) {
                return;
            }
            int target = Arrays.equals(start, H2_PREFACE_START) ? grpcPort : restPort;
            try (Socket upstream = new Socket(LocalPorts.LOOPBACK, target)) {
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                upstream.getOutputStream().write(start);
                var back = threads.submit(() -> copy(upstream.getInputStream(), client.getOutputStream(), client));
                copy(in, upstream.getOutputStream(), upstream);
                back.get();
            }
        } catch (Exception e) {
            // One connection failed (the caller or a gateway went away); the others are unaffected.
        }
    }

    /** Copies until end of stream, then half-closes the destination so the other side sees EOF too. */
    private static Void copy(InputStream from, OutputStream to, Socket toSocket) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        int n;
        try {
            while ((n = from.read(buffer)) >= 0) {
                to.write(buffer, 0, n);
                to.flush();
            }
            toSocket.shutdownOutput();
        } catch (SocketException e) {
            // The peer closed or reset: the relay ends.
        }
        return null;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // Already closed.
        }
        threads.shutdownNow();
    }
}
