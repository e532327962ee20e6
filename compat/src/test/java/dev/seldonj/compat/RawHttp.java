package dev.seldonj.compat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTP/1.1 requests built byte for byte (JSON, form {@code json=}, query {@code ?json=}, multipart) and
 * answers kept as bytes, for comparing two servers' exact answers.
 */
final class RawHttp {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private static final String BOUNDARY = "seldonjCompatBoundary7MA4YWxkTrZu0gW";

    private RawHttp() {}

    /** One request: method, path (with its query), Content-Type (or null) and body (or null). */
    record Request(String label, String method, String path, String contentType, byte[] body) {
        @Override
        public String toString() {
            return label;
        }
    }

    /** An answer: status code, Content-Type header (null when absent) and body bytes. */
    record Answer(int status, String contentType, byte[] body) {
        /** The body with one char per byte (ISO-8859-1), so that equal strings mean equal bytes. */
        String bodyBytes() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return status + " [" + contentType + "] " + bodyBytes();
        }
    }

    static Request json(String path, String json) {
        return new Request("POST " + path + " json " + json, "POST", path, "application/json", utf8(json));
    }

    static Request get(String path) {
        return new Request("GET " + path, "GET", path, null, null);
    }

    /** {@code POST path} with the form body {@code json=<url-encoded json>}. */
    static Request form(String path, String json) {
        return new Request(
                "POST " + path + " form json=" + json,
                "POST",
                path,
                "application/x-www-form-urlencoded",
                utf8("json=" + URLEncoder.encode(json, StandardCharsets.UTF_8)));
    }

    /** {@code method path?json=<url-encoded json>} without a body. */
    static Request query(String method, String path, String json) {
        return new Request(
                method + " " + path + "?json=" + json,
                method,
                path + "?json=" + URLEncoder.encode(json, StandardCharsets.UTF_8),
                null,
                null);
    }

    /** Any method, path, Content-Type and body bytes (malformed requests). */
    static Request raw(String label, String method, String path, String contentType, byte[] body) {
        return new Request(label, method, path, contentType, body);
    }

    /** A multipart/form-data part: a text field, or a file (with a file name) when {@code fileName} is set. */
    record Part(String name, String fileName, String contentType, byte[] content) {
        static Part field(String name, String value) {
            return new Part(name, null, null, utf8(value));
        }

        static Part file(String name, String fileName, byte[] content) {
            return new Part(name, fileName, "application/octet-stream", content);
        }

        @Override
        public String toString() {
            return name + (fileName != null ? "(file " + fileName + ")" : "") + "="
                    + new String(content, StandardCharsets.ISO_8859_1);
        }
    }

    static Request multipart(String path, Part... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part p : parts) {
            StringBuilder head = new StringBuilder("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"")
                    .append(p.name())
                    .append('"');
            if (p.fileName() != null) {
                head.append("; filename=\"").append(p.fileName()).append('"');
            }
            head.append("\r\n");
            if (p.contentType() != null) {
                head.append("Content-Type: ").append(p.contentType()).append("\r\n");
            }
            head.append("\r\n");
            out.writeBytes(utf8(head.toString()));
            out.writeBytes(p.content());
            out.writeBytes(utf8("\r\n"));
        }
        out.writeBytes(utf8("--" + BOUNDARY + "--\r\n"));
        return new Request(
                "POST " + path + " multipart " + List.of(parts),
                "POST",
                path,
                "multipart/form-data; boundary=" + BOUNDARY,
                out.toByteArray());
    }

    static Answer send(String endpoint, Request r) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + endpoint + r.path()))
                .timeout(Duration.ofSeconds(30));
        if (r.contentType() != null) {
            b.header("Content-Type", r.contentType());
        }
        b.method(
                r.method(),
                r.body() == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(r.body()));
        try {
            HttpResponse<byte[]> response = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(null),
                    response.body());
        } catch (IOException e) {
            throw new AssertionError(r.label() + " on " + endpoint + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Every request of {@code paths} x {@code bodies} as JSON posts. */
    static List<Request> jsonPosts(List<String> paths, List<String> bodies) {
        List<Request> all = new ArrayList<>();
        for (String path : paths) {
            for (String body : bodies) {
                all.add(json(path, body));
            }
        }
        return all;
    }
}
