package dev.seldonj.engine.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** HTTP/1.1 at the byte level, to pin what goes over the wire: a component and a client that keep raw bytes. */
final class RawHttp {

    private RawHttp() {}

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A keep-alive component answering each request with scripted bytes, written in the pieces given. */
    static final class Component implements AutoCloseable {
        private final ServerSocket server;
        private final List<String> received = new CopyOnWriteArrayList<>();
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private volatile Function<String, List<byte[]>> answer;

        Component(Function<String, List<byte[]>> answer) throws IOException {
            this.answer = answer;
            this.server = new ServerSocket();
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            Thread t = new Thread(this::accept, "raw-component");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        /** Every request as received: head and body, as ISO-8859-1 text. */
        List<String> received() {
            return received;
        }

        void answer(Function<String, List<byte[]>> a) {
            this.answer = a;
        }

        /** Connections accepted so far. */
        int connections() {
            return sockets.size();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    sockets.add(s);
                    Thread t = new Thread(() -> serve(s), "raw-component-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket s) {
            try (s) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                while (true) {
                    String request = readMessage(in, false);
                    if (request == null) {
                        return;
                    }
                    received.add(request);
                    for (byte[] piece : answer.apply(request)) {
                        if (piece == null) {
                            return; // scripted: hang up mid-answer
                        }
                        out.write(piece);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // the engine closed the connection
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    /** Reads one message with a content-length body (or none); null at end of stream. */
    static String readMessage(InputStream in, boolean headOnly) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0; // of "\r\n\r\n"
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return head.size() == 0 ? null : head.toString(StandardCharsets.ISO_8859_1);
            }
            head.write(b);
            matched =
                    b == '\r' ? (matched == 2 ? 3 : 1) : b == '\n' && (matched == 1 || matched == 3) ? matched + 1 : 0;
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return headOnly ? text : text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }

    /** A client connection sending raw bytes and reading whole answers. */
    static final class Client implements AutoCloseable {
        private final Socket socket;

        Client(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
        }

        Client send(String raw) throws IOException {
            socket.getOutputStream().write(ascii(raw));
            socket.getOutputStream().flush();
            return this;
        }

        Client send(byte[] raw) throws IOException {
            socket.getOutputStream().write(raw);
            socket.getOutputStream().flush();
            return this;
        }

        /** The next answer. */
        String answer() throws IOException {
            return readMessage(socket.getInputStream(), false);
        }

        /** The next answer's head (for HEAD requests and 100 Continue). */
        String head() throws IOException {
            return readMessage(socket.getInputStream(), true);
        }

        /** Whether the engine closes the connection (end of stream; false if it stays open past the read timeout). */
        boolean closedByPeer() throws IOException {
            try {
                return socket.getInputStream().read() < 0;
            } catch (SocketTimeoutException e) {
                return false;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
