package dev.seldonj.engine.client;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a component's HTTP/1.1 answers from the read buffers as they arrive, for exactly what the
 * connection pool needs: the status, the content type (non-2xx only), whether the connection can carry
 * the next exchange, and the body as slices of the read buffers (never copied). Written for this one
 * job instead of Netty's {@code HttpResponseDecoder}, which builds header maps, status and content
 * objects the pool does not use (about 2.5x the CPU on an nginx answer). Only the head is copied, into an
 * array to be parsed (and kept there when it is split across reads); the body never is.
 *
 * <p>What it accepts, and how it decides (RFC 9112):
 * <ul>
 *   <li>{@code HTTP/1.1} and {@code HTTP/1.0} status lines, status 100-599, reason phrase optional;
 *       lines end in CRLF or a bare LF; a bare CR, a folded header line or a header name that is not a
 *       token is refused;</li>
 *   <li>1xx answers (100 Continue, 103 Early Hints) are skipped; an unrequested 101 is refused;</li>
 *   <li>204 and 304 have no body; {@code Transfer-Encoding: chunked} (chunk extensions and trailers
 *       skipped); else {@code Content-Length} (repeated or listed identical values are one, different
 *       ones are refused); else the body runs until the component closes the connection;</li>
 *   <li>both {@code Transfer-Encoding} and {@code Content-Length}: chunked wins and the connection is not
 *       reused (the RFC's choice; it may be an attempt to split answers); any transfer coding other than
 *       a single {@code chunked}, or one in an HTTP/1.0 answer, is refused: the body could not be read;</li>
 *   <li>keep-alive as Netty's {@code HttpUtil.isKeepAlive}: no {@code Connection: close}, and HTTP/1.1 or
 *       {@code Connection: keep-alive}; a body delimited by the close is never reusable;</li>
 *   <li>one exchange at a time (no pipelining): bytes after the end of an answer in the same read leave
 *       the answer as it is but the connection is not reused (later ones are the pool's to refuse).</li>
 * </ul>
 * Answers to HEAD requests are not handled: the engine only sends POST and GET.
 *
 * <p>Not thread-safe: one parser per connection, used on its event loop.
 */
final class HttpAnswerParser {

    /** What the parser found; called during {@link #feed} (and {@link #inputClosed}). */
    interface Listener {
        /** The final answer's head (1xx answers are skipped); {@code contentLength} is -1 when not given. */
        void head(int status, String contentType, long contentLength);

        /** A piece of the body: a slice of the read buffer, not retained (retain it to keep it). */
        void content(ByteBuf piece);

        /** The answer is complete; {@code reusable}: the connection may carry the next exchange. */
        void end(boolean reusable);
    }

    /** The bytes are not HTTP this parser accepts; the message says what is wrong, for an error naming the node. */
    static final class InvalidHttp extends Exception {
        InvalidHttp(String message) {
            super(message, null, false, false);
        }
    }

    /** Largest status line plus headers (and, separately, largest trailer section). */
    static final int MAX_HEAD_BYTES = 16 * 1024;

    private static final int MAX_CHUNK_LINE_BYTES = 4096;
    /** Most bytes copied at once to look for the end of the head: a typical head and small body in one go. */
    private static final int COPY_STEP = 1024;

    private static final int HEAD = 0;
    private static final int FIXED = 1;
    private static final int CHUNK_SIZE = 2;
    private static final int CHUNK_DATA = 3;
    private static final int CHUNK_DATA_END = 4;
    private static final int TRAILERS = 5;
    private static final int UNTIL_CLOSE = 6;
    /** The answer ended, or was abandoned: the rest of the bytes read are skipped. */
    private static final int DONE = 7;

    private static final byte[] CONTENT_LENGTH = ascii("content-length");
    private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding");
    private static final byte[] CONNECTION = ascii("connection");
    private static final byte[] CONTENT_TYPE = ascii("content-type");
    private static final byte[] CHUNKED = ascii("chunked");
    private static final byte[] CLOSE = ascii("close");
    private static final byte[] KEEP_ALIVE = ascii("keep-alive");
    /** RFC 9110 tchar. */
    private static final boolean[] TOKEN = new boolean[256];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[c - 'a' + 'A'] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TOKEN[c] = true;
        }
    }

    private final Listener listener;
    private int state = DONE;

    /**
     * The head so far, copied out of the read buffers up to {@link #COPY_STEP} bytes at a time (bytes
     * past its end are copied but not consumed): scanning a {@code byte[]} is cheaper than reading a
     * direct buffer byte by byte.
     */
    private byte[] head = new byte[512];
    /** Bytes of {@link #head} that are the head's (scanned). */
    private int headLength;
    /** Where the line being scanned starts, the CRs seen in it, and the positions of the LFs of the lines before it. */
    private int lineStart;

    private int lineCrs;
    private int[] lineFeeds = new int[32];
    private int lines;

    // The head's framing, once parsed.
    private int status;
    private boolean http11;
    private long contentLength;
    private int chunkedCodings;
    private boolean otherCoding;
    private boolean connectionClose;
    private boolean connectionKeepAlive;
    private int contentTypeStart;
    private int contentTypeEnd;
    private boolean keepAlive;

    /** Body bytes left of a Content-Length body or of the current chunk. */
    private long remaining;
    // The chunk-size or trailer line being read.
    private int lineBytes;
    private int sizeDigits;
    private boolean sizeEnded;
    private boolean inExtension;
    private boolean sawCr;
    private int trailerBytes;

    HttpAnswerParser(Listener listener) {
        this.listener = listener;
    }

    /** Expects a new answer (a request was just sent). */
    void start() {
        state = HEAD;
        startHead();
    }

    private void startHead() {
        headLength = 0;
        lineStart = 0;
        lineCrs = 0;
        lines = 0;
    }

    /** Stops reading the answer (the exchange failed): what follows is skipped. */
    void abandon() {
        state = DONE;
    }

    /**
     * Reads {@code in} (all of it; the caller keeps ownership), calling the listener with what it
     * completes. Bytes that come after the end of the answer are skipped.
     */
    void feed(ByteBuf in) throws InvalidHttp {
        while (in.isReadable()) {
            switch (state) {
                case HEAD -> head(in);
                case FIXED -> {
                    if (body(in)) {
                        finish(in);
                    }
                }
                case CHUNK_SIZE -> chunkSize(in);
                case CHUNK_DATA -> {
                    if (body(in)) {
                        state = CHUNK_DATA_END;
                        sawCr = false;
                    }
                }
                case CHUNK_DATA_END -> chunkDataEnd(in);
                case TRAILERS -> trailers(in);
                case UNTIL_CLOSE -> listener.content(in.readSlice(in.readableBytes()));
                default -> in.skipBytes(in.readableBytes());
            }
        }
    }

    /**
     * The component closed the connection: ends an answer whose body runs until the close (true), or
     * tells that the answer was cut short or never came (false, when one was expected).
     */
    boolean inputClosed() {
        if (state != UNTIL_CLOSE) {
            return false;
        }
        state = DONE;
        listener.end(false);
        return true;
    }

    /**
     * Hands on the body bytes {@code in} holds of the {@link #remaining} ones (the whole body, or the
     * current chunk); true when all are in and the listener did not abandon the answer meanwhile.
     */
    private boolean body(ByteBuf in) {
        int reading = state;
        int n = (int) Math.min(remaining, in.readableBytes());
        remaining -= n;
        listener.content(in.readSlice(n));
        return remaining == 0 && state == reading;
    }

    private void finish(ByteBuf in) {
        state = DONE;
        listener.end(keepAlive && !in.isReadable());
    }

    // ---- the head

    private void head(ByteBuf in) throws InvalidHttp {
        int end;
        while (true) {
            int room = MAX_HEAD_BYTES - headLength;
            if (room == 0) {
                throw new InvalidHttp("a head larger than " + MAX_HEAD_BYTES + " bytes");
            }
            int n = Math.min(in.readableBytes(), Math.min(room, COPY_STEP));
            if (n == 0) {
                return; // the rest of the head comes in a later read
            }
            if (headLength + n > head.length) {
                head = Arrays.copyOf(head, Math.min(MAX_HEAD_BYTES, Math.max(head.length * 2, headLength + n)));
            }
            in.getBytes(in.readerIndex(), head, headLength, n);
            end = scanHead(headLength, headLength + n);
            if (end >= 0) {
                in.skipBytes(end - headLength);
                headLength = end;
                break;
            }
            in.skipBytes(n);
            headLength += n;
        }
        parseHead();
        startHead();
        if (status < 200) {
            return; // informational: the answer follows
        }
        String contentType = status / 100 == 2 || contentTypeStart < 0
                ? null
                : new String(head, contentTypeStart, contentTypeEnd - contentTypeStart, StandardCharsets.ISO_8859_1);
        boolean noBody = status == 204 || status == 304;
        boolean chunked = !noBody && chunkedCodings > 0;
        long length = noBody ? 0 : chunked ? -1 : contentLength;
        // Both framings (RFC 9112 6.3) or a body that ends with the close: the connection carries no more.
        keepAlive = !connectionClose && (http11 || connectionKeepAlive) && (chunked ? contentLength < 0 : length >= 0);
        listener.head(status, contentType, length);
        if (state != HEAD) {
            return; // abandoned by the listener
        }
        if (chunked) {
            state = CHUNK_SIZE;
            startChunkLine();
        } else if (length > 0) {
            state = FIXED;
            remaining = length;
        } else if (length == 0) {
            finish(in);
        } else {
            state = UNTIL_CLOSE;
        }
    }

    /**
     * Scans {@code head[from, to)} for the blank line that ends the head, noting where lines end; returns
     * the index just past it, or -1. A CR must end its line.
     */
    private int scanHead(int from, int to) throws InvalidHttp {
        byte[] h = head;
        for (int i = from; i < to; i++) {
            byte b = h[i];
            if (b > '\r') {
                continue; // what almost every byte is: no line end
            }
            if (b == '\r') {
                lineCrs++;
            } else if (b == '\n') {
                boolean crlf = i > lineStart && h[i - 1] == '\r';
                if (lineCrs != (crlf ? 1 : 0)) {
                    throw new InvalidHttp("a CR that does not end a line in the head");
                }
                if (i - (crlf ? 1 : 0) == lineStart) {
                    return i + 1;
                }
                if (lines == lineFeeds.length) {
                    lineFeeds = Arrays.copyOf(lineFeeds, lines * 2);
                }
                lineFeeds[lines++] = i;
                lineStart = i + 1;
                lineCrs = 0;
            }
        }
        return -1;
    }

    /** Parses the complete head in {@link #head}, its lines' ends noted by {@link #scanHead}. */
    private void parseHead() throws InvalidHttp {
        byte[] h = head;
        int e = lines == 0 ? 0 : contentEnd(0, lineFeeds[0]);
        if (e < 12
                || h[0] != 'H'
                || h[1] != 'T'
                || h[2] != 'T'
                || h[3] != 'P'
                || h[4] != '/'
                || h[5] != '1'
                || h[6] != '.'
                || (h[7] != '0' && h[7] != '1')
                || h[8] != ' '
                || !digit(h[9])
                || !digit(h[10])
                || !digit(h[11])
                || (e > 12 && h[12] != ' ')) {
            throw new InvalidHttp("an invalid status line '" + printable(0, e) + "'");
        }
        http11 = h[7] == '1';
        status = (h[9] - '0') * 100 + (h[10] - '0') * 10 + (h[11] - '0');
        if (status < 100 || status > 599) {
            throw new InvalidHttp("an invalid status " + status);
        }
        if (status == 101) {
            throw new InvalidHttp("an unrequested 101 Switching Protocols");
        }
        contentLength = -1;
        chunkedCodings = 0;
        otherCoding = false;
        connectionClose = false;
        connectionKeepAlive = false;
        contentTypeStart = -1;
        for (int line = 1; line < lines; line++) {
            int start = lineFeeds[line - 1] + 1;
            header(start, contentEnd(start, lineFeeds[line]));
        }
        if (status >= 200 && chunkedCodings + (otherCoding ? 1 : 0) > 0) {
            if (otherCoding || chunkedCodings > 1) {
                throw new InvalidHttp("an unsupported transfer-encoding (only a single chunked is read)");
            }
            if (!http11) {
                throw new InvalidHttp("a transfer-encoding in an HTTP/1.0 answer");
            }
        }
    }

    private int contentEnd(int from, int lf) {
        return lf > from && head[lf - 1] == '\r' ? lf - 1 : lf;
    }

    /** One header line, {@code [s, e)}; only the ones about framing and the content type are looked at. */
    private void header(int s, int e) throws InvalidHttp {
        byte[] h = head;
        int colon = s;
        while (colon < e && h[colon] != ':') {
            if (!TOKEN[h[colon] & 0xff]) {
                throw new InvalidHttp("an invalid header line '" + printable(s, e) + "'");
            }
            colon++;
        }
        if (colon == s || colon == e) {
            throw new InvalidHttp("an invalid header line '" + printable(s, e) + "'");
        }
        int vs = colon + 1;
        while (vs < e && (h[vs] == ' ' || h[vs] == '\t')) {
            vs++;
        }
        int ve = e;
        while (ve > vs && (h[ve - 1] == ' ' || h[ve - 1] == '\t')) {
            ve--;
        }
        int nameLength = colon - s;
        if (nameLength == CONTENT_LENGTH.length && nameIs(s, CONTENT_LENGTH)) {
            contentLength(vs, ve);
        } else if (nameLength == TRANSFER_ENCODING.length && nameIs(s, TRANSFER_ENCODING)) {
            forEachElement(vs, ve, transferCoding);
        } else if (nameLength == CONNECTION.length && nameIs(s, CONNECTION)) {
            forEachElement(vs, ve, connectionOption);
        } else if (nameLength == CONTENT_TYPE.length && contentTypeStart < 0 && nameIs(s, CONTENT_TYPE)) {
            contentTypeStart = vs;
            contentTypeEnd = ve;
        }
    }

    /** A Content-Length value: digits, or a list of equal ones; any other one is refused. */
    private void contentLength(int vs, int ve) throws InvalidHttp {
        byte[] h = head;
        int i = vs;
        while (true) {
            long v = 0;
            int start = i;
            while (i < ve && digit(h[i])) {
                // Saturates: a length this large is over any limit, which the caller names.
                v = v > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : v * 10 + (h[i] - '0');
                i++;
            }
            if (i == start) {
                throw new InvalidHttp("an invalid content-length '" + printable(vs, ve) + "'");
            }
            if (contentLength >= 0 && contentLength != v) {
                throw new InvalidHttp("conflicting content-lengths " + contentLength + " and " + v);
            }
            contentLength = v;
            while (i < ve && (h[i] == ' ' || h[i] == '\t')) {
                i++;
            }
            if (i == ve) {
                return;
            }
            if (h[i] != ',') {
                throw new InvalidHttp("an invalid content-length '" + printable(vs, ve) + "'");
            }
            i++;
            while (i < ve && (h[i] == ' ' || h[i] == '\t')) {
                i++;
            }
        }
    }

    private interface Element {
        void at(int start, int end);
    }

    private final Element transferCoding = (a, b) -> {
        if (b - a == CHUNKED.length && nameIs(a, CHUNKED)) {
            chunkedCodings++;
        } else {
            otherCoding = true;
        }
    };
    private final Element connectionOption = (a, b) -> {
        if (b - a == CLOSE.length && nameIs(a, CLOSE)) {
            connectionClose = true;
        } else if (b - a == KEEP_ALIVE.length && nameIs(a, KEEP_ALIVE)) {
            connectionKeepAlive = true;
        }
    };

    /** The non-empty elements of a comma-separated list value, without their surrounding whitespace. */
    private void forEachElement(int vs, int ve, Element element) {
        byte[] h = head;
        int i = vs;
        while (i < ve) {
            while (i < ve && (h[i] == ' ' || h[i] == '\t' || h[i] == ',')) {
                i++;
            }
            int start = i;
            while (i < ve && h[i] != ',') {
                i++;
            }
            int end = i;
            while (end > start && (h[end - 1] == ' ' || h[end - 1] == '\t')) {
                end--;
            }
            if (end > start) {
                element.at(start, end);
            }
        }
    }

    /** Whether the head at {@code s} is {@code lower} (lowercase ASCII letters and dashes), ignoring case. */
    private boolean nameIs(int s, byte[] lower) {
        byte[] h = head;
        for (int i = 0; i < lower.length; i++) {
            if ((h[s + i] | 0x20) != lower[i]) {
                return false;
            }
        }
        return true;
    }

    // ---- chunked bodies

    private void startChunkLine() {
        lineBytes = 0;
        sizeDigits = 0;
        sizeEnded = false;
        inExtension = false;
        sawCr = false;
        remaining = 0;
    }

    /** {@code 1*HEXDIG [ BWS ";" extensions ] CRLF}, possibly across reads. */
    private void chunkSize(ByteBuf in) throws InvalidHttp {
        while (in.isReadable()) {
            byte b = in.readByte();
            if (++lineBytes > MAX_CHUNK_LINE_BYTES) {
                throw new InvalidHttp("a chunk size line longer than " + MAX_CHUNK_LINE_BYTES + " bytes");
            }
            if (sawCr && b != '\n') {
                throw new InvalidHttp("a CR that does not end a chunk size line");
            }
            if (b == '\n') {
                if (sizeDigits == 0) {
                    throw new InvalidHttp("a chunk without a size");
                }
                if (remaining == 0) {
                    state = TRAILERS;
                    lineBytes = 0;
                    trailerBytes = 0;
                    sawCr = false;
                } else {
                    state = CHUNK_DATA;
                }
                return;
            }
            if (b == '\r') {
                sawCr = true;
            } else if (inExtension) {
                continue;
            } else if (!sizeEnded && hex(b) >= 0) {
                if (remaining > (Long.MAX_VALUE >> 4)) {
                    throw new InvalidHttp("a chunk size too large");
                }
                remaining = remaining << 4 | hex(b);
                sizeDigits++;
            } else if (sizeDigits > 0 && (b == ' ' || b == '\t')) {
                sizeEnded = true;
            } else if (sizeDigits > 0 && b == ';') {
                inExtension = true;
            } else {
                throw new InvalidHttp("an invalid chunk size (" + describe(b) + ")");
            }
        }
    }

    /** The CRLF after a chunk's data. */
    private void chunkDataEnd(ByteBuf in) throws InvalidHttp {
        while (in.isReadable()) {
            byte b = in.readByte();
            if (b == '\n') {
                state = CHUNK_SIZE;
                startChunkLine();
                return;
            }
            if (b != '\r' || sawCr) {
                throw new InvalidHttp("a chunk longer than its size (" + describe(b) + " after its data)");
            }
            sawCr = true;
        }
    }

    /** Trailer lines up to the blank line that ends the answer; skipped. */
    private void trailers(ByteBuf in) throws InvalidHttp {
        while (in.isReadable()) {
            byte b = in.readByte();
            if (++trailerBytes > MAX_HEAD_BYTES) {
                throw new InvalidHttp("trailers larger than " + MAX_HEAD_BYTES + " bytes");
            }
            if (sawCr && b != '\n') {
                throw new InvalidHttp("a CR that does not end a trailer line");
            }
            if (b == '\n') {
                if (lineBytes == 0) {
                    finish(in);
                    return;
                }
                lineBytes = 0;
                sawCr = false;
            } else if (b == '\r') {
                sawCr = true;
            } else {
                lineBytes++;
            }
        }
    }

    // ---- helpers

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    private static String describe(byte b) {
        return b >= 0x21 && b < 0x7f ? "'" + (char) b + "'" : String.format("byte 0x%02x", b & 0xff);
    }

    /** Head bytes {@code [s, e)} for an error message: printable ASCII, the rest escaped, at most 80 shown. */
    private String printable(int s, int e) {
        StringBuilder out = new StringBuilder();
        for (int i = s; i < Math.min(e, s + 80); i++) {
            int b = head[i] & 0xff;
            if (b >= 0x20 && b < 0x7f) {
                out.append((char) b);
            } else {
                out.append(String.format("\\x%02x", b));
            }
        }
        return e - s > 80 ? out.append("...").toString() : out.toString();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
