package dev.seldonj.engine.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Seldon's Kafka security variables as Java client properties. {@code KAFKA_SECURITY_PROTOCOL} is PLAINTEXT, SSL,
 * SASL_PLAINTEXT or SASL_SSL. For SSL the CA and the client certificate and key come as PEM text
 * ({@code KAFKA_SSL_CA_CERT}, {@code KAFKA_SSL_CLIENT_CERT}, {@code KAFKA_SSL_CLIENT_KEY}) or as PEM files
 * ({@code ..._FILE}), with {@code KAFKA_SSL_CLIENT_KEY_PASS} for an encrypted key; the Java client takes PEM
 * text, so files are read once here. For SASL: {@code KAFKA_SASL_MECHANISM} (PLAIN, SCRAM-SHA-256 or
 * SCRAM-SHA-512), {@code KAFKA_SASL_USERNAME}, {@code KAFKA_SASL_PASSWORD}.
 */
final class KafkaSecurity {

    private static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");

    /** The variables' values; null or blank when unset. */
    record Variables(
            String protocol,
            String caCert,
            String caCertFile,
            String clientCert,
            String clientCertFile,
            String clientKey,
            String clientKeyFile,
            String clientKeyPass,
            String saslMechanism,
            String saslUsername,
            String saslPassword) {}

    private KafkaSecurity() {}

    static Map<String, String> properties(Variables v) {
        Map<String, String> p = new LinkedHashMap<>();
        String protocol = blank(v.protocol()) ? "" : v.protocol().trim().toUpperCase(Locale.ROOT);
        if (protocol.isEmpty()) {
            return p;
        }
        if (!PROTOCOLS.contains(protocol)) {
            throw new IllegalArgumentException("KAFKA_SECURITY_PROTOCOL must be PLAINTEXT, SSL, SASL_PLAINTEXT or "
                    + "SASL_SSL, got '" + v.protocol() + "'");
        }
        p.put("security.protocol", protocol);
        if (protocol.endsWith("SSL")) {
            String ca = pem("KAFKA_SSL_CA_CERT", v.caCert(), v.caCertFile());
            if (ca != null) {
                p.put("ssl.truststore.type", "PEM");
                p.put("ssl.truststore.certificates", ca);
            }
            String cert = pem("KAFKA_SSL_CLIENT_CERT", v.clientCert(), v.clientCertFile());
            String key = pem("KAFKA_SSL_CLIENT_KEY", v.clientKey(), v.clientKeyFile());
            if ((cert == null) != (key == null)) {
                throw new IllegalArgumentException(
                        "KAFKA_SSL_CLIENT_CERT and KAFKA_SSL_CLIENT_KEY (or their _FILE forms) "
                                + "go together: set both for a client certificate, or neither");
            }
            if (cert != null) {
                p.put("ssl.keystore.type", "PEM");
                p.put("ssl.keystore.certificate.chain", cert);
                p.put("ssl.keystore.key", key);
                if (!blank(v.clientKeyPass())) {
                    p.put("ssl.key.password", v.clientKeyPass());
                }
            }
        }
        if (protocol.startsWith("SASL")) {
            String mechanism = blank(v.saslMechanism())
                    ? "PLAIN"
                    : v.saslMechanism().trim().toUpperCase(Locale.ROOT);
            String module = switch (mechanism) {
                case "PLAIN" -> "org.apache.kafka.common.security.plain.PlainLoginModule";
                case "SCRAM-SHA-256", "SCRAM-SHA-512" -> "org.apache.kafka.common.security.scram.ScramLoginModule";
                default ->
                    throw new IllegalArgumentException("KAFKA_SASL_MECHANISM must be PLAIN, SCRAM-SHA-256 or "
                            + "SCRAM-SHA-512, got '" + v.saslMechanism() + "'");
            };
            if (blank(v.saslUsername()) || blank(v.saslPassword())) {
                throw new IllegalArgumentException("KAFKA_SECURITY_PROTOCOL " + protocol
                        + " needs KAFKA_SASL_USERNAME and " + "KAFKA_SASL_PASSWORD");
            }
            p.put("sasl.mechanism", mechanism);
            p.put(
                    "sasl.jaas.config",
                    module + " required username=\"" + jaas(v.saslUsername()) + "\" password=\""
                            + jaas(v.saslPassword()) + "\";");
        }
        return p;
    }

    private static String pem(String variable, String text, String file) {
        if (!blank(text)) {
            return text.trim();
        }
        if (blank(file)) {
            return null;
        }
        try {
            return Files.readString(Path.of(file.trim())).trim();
        } catch (IOException e) {
            throw new IllegalArgumentException(variable + "_FILE '" + file.trim() + "' cannot be read: " + e);
        }
    }

    /** A JAAS quoted string: backslash and quote escaped. */
    private static String jaas(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
