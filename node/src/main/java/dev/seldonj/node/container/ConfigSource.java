package dev.seldonj.node.container;

import java.util.Map;
import java.util.Optional;

/** Reads Secrets and ConfigMaps (what env and volumes refer to); empty when the object does not exist. */
public interface ConfigSource {

    /** The Secret's data, decoded. */
    Optional<Map<String, byte[]>> secret(String namespace, String name);

    /** The ConfigMap's data and binaryData together. */
    Optional<Map<String, byte[]>> configMap(String namespace, String name);
}
