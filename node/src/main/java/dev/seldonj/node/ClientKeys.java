package dev.seldonj.node;

import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * The algorithm of a kubeconfig's client key. fabric8 assumes RSA for a PKCS#8 key ("BEGIN PRIVATE KEY")
 * and then fails on the test cluster's EC keys; told "EC", it reads them with the JDK alone.
 */
final class ClientKeys {

    private ClientKeys() {}

    static void fixAlgorithm(Config config) {
        String pem = pem(config);
        if (pem == null) {
            return;
        }
        if (pem.contains("BEGIN EC PRIVATE KEY")) {
            config.setClientKeyAlgo("EC");
        } else if (pem.contains("BEGIN PRIVATE KEY") && isEc(pem)) {
            config.setClientKeyAlgo("EC");
        }
    }

    private static String pem(Config config) {
        try {
            if (config.getClientKeyData() != null) {
                return new String(
                        Base64.getDecoder().decode(config.getClientKeyData().trim()), StandardCharsets.US_ASCII);
            }
            if (config.getClientKeyFile() != null) {
                return Files.readString(Path.of(config.getClientKeyFile()), StandardCharsets.US_ASCII);
            }
        } catch (IOException | IllegalArgumentException e) {
            // Let fabric8 report the unreadable key in its own words.
        }
        return null;
    }

    static boolean isEc(String pem) {
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            KeyFactory.getInstance("EC")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
