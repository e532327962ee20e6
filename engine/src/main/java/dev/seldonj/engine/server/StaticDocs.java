package dev.seldonj.engine.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The browsable API documentation at {@code /api/v1.0/doc/} (and {@code /api/v0.1/doc/}): our OpenAPI
 * document {@code seldon.json} and Swagger UI from its webjar, read from the classpath once.
 */
public final class StaticDocs {

    /** A file to serve, or a redirect. */
    public record Resource(byte[] body, String contentType, String redirect) {}

    private static final String OWN = "dev/seldonj/engine/doc/";
    private static final String[] PREFIXES = {"/api/v1.0/doc", "/api/v0.1/doc"};

    private final String webjar;
    private final boolean served;
    private final Map<String, Resource> cache = new ConcurrentHashMap<>();

    public StaticDocs() {
        this(true);
    }

    /**
     * @param served false for a graph whose protocol the document does not describe (v2: its endpoints are the
     *     Open Inference Protocol's, not Seldon's): then no document is served rather than a wrong one
     */
    public StaticDocs(boolean served) {
        this.served = served;
        Properties p = new Properties();
        try (InputStream in = StaticDocs.class.getResourceAsStream("/dev/seldonj/engine/build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.webjar = "META-INF/resources/webjars/swagger-ui/" + p.getProperty("swaggerUi.version", "") + "/";
    }

    public boolean serves(String path) {
        if (!served) {
            return false;
        }
        for (String prefix : PREFIXES) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The resource for a doc path, or null when there is none. */
    public Resource get(String path) {
        for (String prefix : PREFIXES) {
            if (path.equals(prefix)) {
                return new Resource(null, null, prefix + "/");
            }
            if (path.startsWith(prefix + "/")) {
                String file = path.substring(prefix.length() + 1);
                if (file.isEmpty()) {
                    file = "index.html";
                }
                if (file.contains("..") || file.contains("/")) {
                    return null;
                }
                String name = file;
                return cache.computeIfAbsent(name, this::load);
            }
        }
        return null;
    }

    private Resource load(String file) {
        byte[] body = read(OWN + file);
        if (body == null) {
            body = read(webjar + file);
        }
        return body == null ? null : new Resource(body, contentType(file), null);
    }

    private static byte[] read(String resource) {
        try (InputStream in = StaticDocs.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }

    private static String contentType(String file) {
        if (file.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (file.endsWith(".js")) {
            return "application/javascript";
        }
        if (file.endsWith(".css")) {
            return "text/css";
        }
        if (file.endsWith(".json")) {
            return "application/json";
        }
        if (file.endsWith(".png")) {
            return "image/png";
        }
        return "application/octet-stream";
    }
}
