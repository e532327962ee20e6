package dev.seldonj.controller.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** Kubeconfig files written the way kubectl, kind and k3s write them. */
public final class Kubeconfigs {

    private Kubeconfigs() {}

    /** A kubeconfig for {@code server} trusting {@code caPem}, with the given {@code user:} body and context namespace (or none). */
    public static Path write(Path file, String server, String caPem, String userYaml, String namespace)
            throws IOException {
        String context =
                "    cluster: test\n    user: test\n" + (namespace == null ? "" : "    namespace: " + namespace + "\n");
        String yaml = "apiVersion: v1\nkind: Config\n"
                + "clusters:\n- name: test\n  cluster:\n    server: " + server + "\n"
                + "    certificate-authority-data: " + base64(caPem) + "\n"
                + "users:\n- name: test\n  user:\n" + userYaml.indent(4)
                + "contexts:\n- name: test\n  context:\n" + context
                + "current-context: test\n";
        Files.writeString(file, yaml);
        return file;
    }

    /** {@code client-certificate-data} and {@code client-key-data}, as kind and k3s embed them. */
    public static String clientCertificate(String certPem, String keyPem) {
        return "client-certificate-data: " + base64(certPem) + "\nclient-key-data: " + base64(keyPem);
    }

    public static String token(String token) {
        return "token: " + token;
    }

    /** An exec credential plugin that prints a token, as cloud CLIs do (client.authentication.k8s.io/v1). */
    public static String execToken(String token) {
        String credential = "{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
                + "\"status\":{\"token\":\"" + token + "\"}}";
        return "exec:\n  apiVersion: client.authentication.k8s.io/v1\n  command: sh\n  args: [\"-c\", \"echo '"
                + credential.replace("\"", "\\\"") + "'\"]\n  interactiveMode: Never";
    }

    public static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }
}
