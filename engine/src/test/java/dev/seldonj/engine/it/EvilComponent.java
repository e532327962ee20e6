package dev.seldonj.engine.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A REST component that misbehaves on request: the engine propagates the client's headers, so a client's
 * {@code X-Evil} header picks what this component does with the call. Raw sockets, one thread per connection,
 * one answer per connection ({@code connection: close}), so the engine pools nothing between cases.
 *
 * <ul>
 *   <li>none or {@code ok}: a small SeldonMessage</li>
 *   <li>{@code delay:<ms>}: the same after a pause</li>
 *   <li>{@code hang}: reads the request, never answers</li>
 *   <li>{@code trickle}: a head announcing 1000 bytes, then one byte every 100 ms</li>
 *   <li>{@code 500}: 500 with a body of its own</li>
 *   <li>{@code garbage}: bytes that are not HTTP, then close</li>
 *   <li>{@code truncated}: 10 of 100 announced bytes, then close</li>
 *   <li>{@code reset}: closes with a TCP reset as soon as the request is read</li>
 *   <li>{@code huge}: announces 200 MiB and streams zeros</li>
 *   <li>{@code big:<bytes>}: a valid SeldonMessage of about that size</li>
 * </ul>
 */
final class EvilComponent implements AutoCloseable {

    static final byte[] OK_BODY =
            "{\"data\":{\"names\":[\"a\"],\"ndarray\":[[1.0]]}}".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    EvilComponent() throws IOException {
        server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, "evil-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.add(s);
                Thread t = new Thread(() -> serve(s), "evil-conn");
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
            String head = readHead(in);
            if (head == null) {
                return;
            }
            String mode = header(head, "x-evil");
            long length =
                    Long.parseLong(header(head, "content-length").isEmpty() ? "0" : header(head, "content-length"));
            in.readNBytes((int) length);
            OutputStream out = s.getOutputStream();
            if (mode.startsWith("delay:")) {
                Thread.sleep(Long.parseLong(mode.substring(6)));
                mode = "ok";
            }
            if (mode.startsWith("big:")) {
                int size = Integer.parseInt(mode.substring(4));
                byte[] body = new byte[size];
                byte[] start = "{\"strData\":\"".getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(start, 0, body, 0, start.length);
                Arrays.fill(body, start.length, size - 2, (byte) 'x');
                body[size - 2] = '"';
                body[size - 1] = '}';
                answer(out, "200 OK", body);
                return;
            }
            switch (mode) {
                case "", "ok" -> answer(out, "200 OK", OK_BODY);
                case "hang" -> in.transferTo(OutputStream.nullOutputStream()); // until the engine gives up and closes
                case "trickle" -> {
                    out.write(
                            ascii("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n"));
                    out.flush();
                    for (int i = 0; i < 1000; i++) {
                        out.write('{');
                        out.flush();
                        Thread.sleep(100);
                    }
                }
                case "500" -> answer(out, "500 Internal Server Error", ascii("{\"evil\":\"boom\"}"));
                case "garbage" -> {
                    out.write(ascii("SSH-2.0-evil\r\nthis is not HTTP\r\n\r\n"));
                    out.flush();
                }
                case "truncated" -> {
                    out.write(
                            ascii(
                                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"data\":{"));
                    out.flush();
                }
                case "reset" -> s.setSoLinger(true, 0);
                case "huge" -> {
                    out.write(ascii("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
                            + (200L << 20) + "\r\n\r\n"));
                    byte[] zeros = new byte[64 * 1024];
                    for (int i = 0; i < 3200; i++) {
                        out.write(zeros);
                    }
                }
                default -> answer(out, "400 Bad Request", ascii("{\"evil\":\"unknown mode " + mode + "\"}"));
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the engine hung up: that is what most modes provoke
        } finally {
            open.remove(s);
        }
    }

    private static void answer(OutputStream out, String status, byte[] body) throws IOException {
        out.write(ascii("HTTP/1.1 " + status + "\r\ncontent-type: application/json\r\ncontent-length: " + body.length
                + "\r\nconnection: close\r\n\r\n"));
        out.write(body);
        out.flush();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The head up to its blank line, or null at end of stream. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1
                    : b == '\r' ? 1 : 0;
            if (matched == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    /** A header's value (trimmed, lower case), or "" when absent. */
    static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            }
        }
        return "";
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
