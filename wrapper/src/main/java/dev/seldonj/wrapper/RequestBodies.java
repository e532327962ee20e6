package dev.seldonj.wrapper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seldonj.api.protocol.SeldonJson;
import dev.seldonj.api.protocol.SeldonJsonException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The three request forms the Python wrapper accepts ({@code flask_utils.get_request}): multipart form
 * data (each field a JSON value, {@code strData} as text, {@code binData} as a file), a form or query
 * parameter {@code json=}, or the JSON body itself.
 */
final class RequestBodies {

    private RequestBodies() {}

    /** The request's JSON document; bad input is a {@link SeldonJsonException} naming what is wrong. */
    static JsonNode json(String contentType, String query, byte[] body) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("multipart/form-data")) {
            return multipart(contentType, body);
        }
        String json = null;
        if (type.startsWith("application/x-www-form-urlencoded")) {
            json = form(new String(body, StandardCharsets.UTF_8)).get("json");
        }
        if (json == null || json.isEmpty()) {
            json = form(query).get("json");
        }
        if (json != null && !json.isEmpty()) {
            return SeldonJson.tree(json.getBytes(StandardCharsets.UTF_8));
        }
        return SeldonJson.tree(body);
    }

    static Map<String, String> form(String encoded) {
        Map<String, String> out = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return out;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.putIfAbsent(key, value);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new SeldonJsonException("", "malformed form encoding: " + e.getMessage());
        }
    }

    private static JsonNode multipart(String contentType, byte[] body) {
        String boundary = null;
        for (String part : contentType.split(";")) {
            String p = part.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                boundary = p.substring("boundary=".length()).replace("\"", "");
            }
        }
        if (boundary == null || boundary.isEmpty()) {
            throw new SeldonJsonException("", "multipart/form-data without a boundary");
        }
        ObjectNode message = JsonNodeFactory.instance.objectNode();
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int start = indexOf(body, delimiter, 0);
        while (start >= 0) {
            int headersStart = start + delimiter.length;
            if (headersStart + 1 < body.length && body[headersStart] == '-' && body[headersStart + 1] == '-') {
                break; // closing delimiter
            }
            headersStart = skipLineBreak(body, headersStart);
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), headersStart);
            int next = indexOf(body, delimiter, headersStart);
            if (headersEnd < 0 || next < 0) {
                throw new SeldonJsonException("", "malformed multipart body");
            }
            String headers = new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8);
            int contentStart = headersEnd + 4;
            int contentEnd = next - 2; // the CRLF before the delimiter belongs to it
            byte[] content = Arrays.copyOfRange(body, contentStart, Math.max(contentStart, contentEnd));
            addField(message, headers, content);
            start = next;
        }
        return message;
    }

    private static void addField(ObjectNode message, String headers, byte[] content) {
        String name = dispositionParam(headers, "name");
        if (name == null) {
            throw new SeldonJsonException("", "multipart part without a name");
        }
        boolean file = dispositionParam(headers, "filename") != null;
        if (name.equals("binData")) {
            // Python base64-encodes file parts for binData; a text field is taken as base64 already
            message.put(
                    name,
                    file ? Base64.getEncoder().encodeToString(content) : new String(content, StandardCharsets.UTF_8));
        } else if (name.equals("strData") || file) {
            message.put(name, new String(content, StandardCharsets.UTF_8));
        } else {
            try {
                message.set(name, SeldonJson.tree(content));
            } catch (SeldonJsonException e) {
                throw new SeldonJsonException(name, e.reason());
            }
        }
    }

    private static String dispositionParam(String headers, String param) {
        for (String line : headers.split("\r\n")) {
            if (!line.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) {
                continue;
            }
            for (String part : line.split(";")) {
                String p = part.trim();
                if (p.startsWith(param + "=")) {
                    return p.substring(param.length() + 1).replace("\"", "");
                }
            }
        }
        return null;
    }

    private static int skipLineBreak(byte[] body, int at) {
        if (at + 1 < body.length && body[at] == '\r' && body[at + 1] == '\n') {
            return at + 2;
        }
        return at;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
