package dev.seldonj.api.defaults;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Object names as Seldon's operator makes them. */
public final class Names {

    /** Kubernetes' limit for names that become DNS labels. */
    public static final int MAX_LENGTH = 63;

    private Names() {}

    /** The name itself, or {@code seldon-<md5 hex>} when longer than 63 characters (Seldon's rule). */
    public static String kubernetesName(String name) {
        if (name.length() <= MAX_LENGTH) {
            return name;
        }
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(name.getBytes(StandardCharsets.UTF_8));
            return "seldon-" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is always available", e);
        }
    }
}
