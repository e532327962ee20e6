package dev.seldonj.node.cluster;

import dev.seldonj.node.container.ConfigSource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Secrets and ConfigMaps read from the API server when a container or volume needs them (no cache: few pods). */
public final class ClusterConfigSource implements ConfigSource {

    private final KubernetesClient client;

    public ClusterConfigSource(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Optional<Map<String, byte[]>> secret(String namespace, String name) {
        Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null) {
            return Optional.empty();
        }
        Map<String, byte[]> data = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
        }
        if (secret.getStringData() != null) {
            secret.getStringData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
        }
        return Optional.of(data);
    }

    @Override
    public Optional<Map<String, byte[]>> configMap(String namespace, String name) {
        ConfigMap map =
                client.configMaps().inNamespace(namespace).withName(name).get();
        if (map == null) {
            return Optional.empty();
        }
        Map<String, byte[]> data = new LinkedHashMap<>();
        if (map.getData() != null) {
            map.getData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
        }
        if (map.getBinaryData() != null) {
            map.getBinaryData()
                    .forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
        }
        return Optional.of(data);
    }
}
