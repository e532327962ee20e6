package dev.seldonj.engine.message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.seldonj.engine.core.EngineException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes JSON straight into a buffer, byte for byte as Jackson's default generator would (the answer's
 * meta used to be written by one per request): strings as UTF-8 with {@code \" \\ \b \t \n \f \r}
 * escaped, other control characters and every surrogate as {@code \\uXXXX} (upper-case hex). Tree
 * nodes of a kind this class does not write itself are handed to Jackson.
 */
public final class JsonWriter {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    private JsonWriter() {}

    /** {@code "s"}, escaped. */
    public static void string(ByteBuf out, CharSequence s) {
        int n = s.length();
        if (plain(s, n)) {
            // Nothing to escape: one bulk UTF-8 write (the usual puid, names, images).
            out.ensureWritable(n * 3 + 2);
            out.writeByte('"');
            ByteBufUtil.writeUtf8(out, s);
            out.writeByte('"');
            return;
        }
        out.ensureWritable(n + 2);
        out.writeByte('"');
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80) {
                if (c == '"' || c == '\\') {
                    out.writeByte('\\');
                }
                out.writeByte(c);
            } else if (c < 0x20) {
                control(out, c);
            } else if (c < 0x800) {
                out.writeByte(0xC0 | (c >> 6));
                out.writeByte(0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                unicodeEscape(out, c);
            } else {
                out.writeByte(0xE0 | (c >> 12));
                out.writeByte(0x80 | ((c >> 6) & 0x3F));
                out.writeByte(0x80 | (c & 0x3F));
            }
        }
        out.writeByte('"');
    }

    private static boolean plain(CharSequence s, int n) {
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static void control(ByteBuf out, char c) {
        char shortForm = switch (c) {
            case '\b' -> 'b';
            case '\t' -> 't';
            case '\n' -> 'n';
            case '\f' -> 'f';
            case '\r' -> 'r';
            default -> 0;
        };
        if (shortForm != 0) {
            out.writeByte('\\');
            out.writeByte(shortForm);
        } else {
            unicodeEscape(out, c);
        }
    }

    private static void unicodeEscape(ByteBuf out, char c) {
        out.writeByte('\\');
        out.writeByte('u');
        out.writeByte(HEX[(c >> 12) & 0xF]);
        out.writeByte(HEX[(c >> 8) & 0xF]);
        out.writeByte(HEX[(c >> 4) & 0xF]);
        out.writeByte(HEX[c & 0xF]);
    }

    /** {@code "name":} */
    public static void field(ByteBuf out, CharSequence name) {
        string(out, name);
        out.writeByte(':');
    }

    /** A decimal integer, as Jackson writes an int. */
    public static void integer(ByteBuf out, int v) {
        if (v >= 0 && v < 10) {
            out.writeByte('0' + v);
        } else {
            ByteBufUtil.writeAscii(out, Integer.toString(v));
        }
    }

    /** A tree value, as {@code JsonGenerator.writeTree} would write it. */
    public static void node(ByteBuf out, JsonNode node) {
        if (node instanceof TextNode t) {
            string(out, t.textValue());
        } else if (node instanceof BooleanNode) {
            out.writeBytes(node.booleanValue() ? TRUE : FALSE);
        } else if (node instanceof NullNode) {
            out.writeBytes(NULL);
        } else if (node instanceof IntNode || node instanceof LongNode || node instanceof BigIntegerNode) {
            out.writeCharSequence(node.asText(), StandardCharsets.US_ASCII);
        } else if (node instanceof DoubleNode d && Double.isFinite(d.doubleValue())) {
            out.writeCharSequence(Double.toString(d.doubleValue()), StandardCharsets.US_ASCII);
        } else if (node instanceof ObjectNode o) {
            out.writeByte('{');
            Iterator<Map.Entry<String, JsonNode>> fields = o.fields();
            boolean first = true;
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (!first) {
                    out.writeByte(',');
                }
                first = false;
                field(out, f.getKey());
                node(out, f.getValue());
            }
            out.writeByte('}');
        } else if (node instanceof ArrayNode a) {
            out.writeByte('[');
            for (int i = 0; i < a.size(); i++) {
                if (i > 0) {
                    out.writeByte(',');
                }
                node(out, a.get(i));
            }
            out.writeByte(']');
        } else {
            try {
                out.writeBytes(SeldonJsonScanner.MAPPER.writeValueAsBytes(node));
            } catch (JsonProcessingException e) {
                throw new EngineException(
                        EngineException.Kind.INTERNAL, "cannot write meta: " + e.getOriginalMessage());
            }
        }
    }
}
