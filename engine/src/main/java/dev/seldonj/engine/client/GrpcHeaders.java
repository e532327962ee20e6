package dev.seldonj.engine.client;

import io.grpc.Metadata;
import java.util.Locale;

/** Copies HTTP headers into gRPC metadata, skipping what gRPC owns or cannot carry. */
public final class GrpcHeaders {

    private GrpcHeaders() {}

    public static void put(Metadata metadata, String name, String value) {
        String key = name.toLowerCase(Locale.ROOT);
        if (key.isEmpty()
                || key.startsWith(":")
                || key.startsWith("grpc-")
                || key.endsWith(Metadata.BINARY_HEADER_SUFFIX)
                || key.equals("content-type")
                || key.equals("te")
                || key.equals("user-agent")
                || !validKey(key)) {
            return;
        }
        Metadata.Key<String> k = Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER);
        metadata.removeAll(k);
        metadata.put(k, value);
    }

    private static boolean validKey(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.')) {
                return false;
            }
        }
        return true;
    }
}
