package dev.seldonj.engine.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;

/**
 * Writes HTTP/1.1 message heads (start line, header lines, blank line) straight into a buffer, as
 * Netty's encoders lay them out, for the messages the engine sends on every request (its answers,
 * its calls to components): no header map, no encoder pass, one buffer per message. Characters are
 * written as Netty writes them (one byte each, {@code '?'} above U+00FF); values come from the
 * server's validated decoder or from the engine itself.
 */
public final class HttpHead {

    private static final byte[] COLON_SPACE = {':', ' '};
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] OK = line(HttpResponseStatus.OK);

    private HttpHead() {}

    /** {@code name: } as bytes, for names written on every message. */
    public static byte[] name(CharSequence name) {
        return (name + ": ").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** {@code HTTP/1.1 <code> <reason>\r\n}. */
    public static void statusLine(ByteBuf out, HttpResponseStatus status) {
        out.writeBytes(status.code() == 200 ? OK : line(status));
    }

    private static byte[] line(HttpResponseStatus status) {
        return ("HTTP/1.1 " + status.codeAsText() + " " + status.reasonPhrase() + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    public static void header(ByteBuf out, CharSequence name, CharSequence value) {
        chars(out, name);
        out.writeBytes(COLON_SPACE);
        chars(out, value);
        out.writeBytes(CRLF);
    }

    /** A header whose {@code name: } is prepared with {@link #name}. */
    public static void header(ByteBuf out, byte[] nameColonSpace, CharSequence value) {
        out.writeBytes(nameColonSpace);
        chars(out, value);
        out.writeBytes(CRLF);
    }

    /** {@code value} must not be negative. */
    public static void header(ByteBuf out, byte[] nameColonSpace, int value) {
        out.writeBytes(nameColonSpace);
        decimal(out, value);
        out.writeBytes(CRLF);
    }

    public static void end(ByteBuf out) {
        out.writeBytes(CRLF);
    }

    /** A non-negative decimal, digits set from the last one back (no string). */
    public static void decimal(ByteBuf out, int v) {
        int digits = 1;
        for (int rest = v / 10; rest > 0; rest /= 10) {
            digits++;
        }
        out.ensureWritable(digits);
        int at = out.writerIndex();
        for (int i = at + digits - 1; i >= at; i--) {
            out.setByte(i, '0' + v % 10);
            v /= 10;
        }
        out.writerIndex(at + digits);
    }

    private static void chars(ByteBuf out, CharSequence s) {
        if (s instanceof AsciiString a) {
            out.writeBytes(a.array(), a.arrayOffset(), a.length());
        } else {
            ByteBufUtil.writeAscii(out, s); // as Netty's encoder: one byte per char, '?' above U+00FF
        }
    }
}
