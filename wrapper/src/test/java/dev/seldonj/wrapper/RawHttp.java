package dev.seldonj.wrapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A client on a raw socket that writes exactly the bytes given and reads answers as they come, for hostile tests. */
final class RawHttp implements AutoCloseable {

    private static final Pattern LENGTH = Pattern.compile("(?im)^content-length: *(\\d+)");

    /** One answer: its status, head and body. */
    record Answer(int status, String head, String body) {}

    /** How a connection ended: what was still read, and whether the server closed it (EOF) in time. */
    record End(String rest, boolean closed, boolean reset, long afterMs) {}

    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawHttp(int port, int readTimeoutMs) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(readTimeoutMs);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    RawHttp send(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    /** Reads one answer: the head, then the body its Content-Length announces. */
    Answer answer() throws IOException {
        StringBuilder head = new StringBuilder();
        int b;
        while (!head.toString().endsWith("\r\n\r\n")) {
            b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed after " + head.length() + " bytes of a head: " + head);
            }
            head.append((char) b);
        }
        Matcher m = LENGTH.matcher(head);
        int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        return new Answer(Integer.parseInt(head.substring(9, 12)), head.toString(), body);
    }

    /** Reads until the server closes the connection, or the read timeout passes. */
    End end() {
        long start = System.nanoTime();
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        boolean closed = false;
        boolean reset = false;
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                rest.write(buf, 0, n);
            }
            closed = true;
        } catch (SocketTimeoutException e) {
            // still open
        } catch (SocketException e) {
            reset = true;
        } catch (IOException e) {
            reset = true;
        }
        return new End(rest.toString(StandardCharsets.UTF_8), closed, reset, (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
