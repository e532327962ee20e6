package dev.seldonj.node.volume;

import dev.seldonj.node.container.ConfigSource;
import dev.seldonj.node.container.FieldRefs;
import dev.seldonj.node.container.PodFacts;
import dev.seldonj.node.errors.NodeException;
import io.fabric8.kubernetes.api.model.ConfigMapProjection;
import io.fabric8.kubernetes.api.model.ConfigMapVolumeSource;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSource;
import io.fabric8.kubernetes.api.model.SecretProjection;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What files a Secret, ConfigMap, downward API or projected volume holds, as kubelet lays them out
 * (every key, or only {@code items} with their paths and modes; {@code defaultMode} 0644), from the
 * objects read through a {@link ConfigSource}. A missing object or key fails the volume unless it is
 * {@code optional}.
 */
public final class VolumeFiles {

    static final int DEFAULT_MODE = 0644;

    /** What a serviceAccountToken source needs: the token for (audience, expirationSeconds). */
    public interface Tokens extends Function<ServiceAccountTokenProjection, String> {}

    private final ConfigSource source;

    public VolumeFiles(ConfigSource source) {
        this.source = source;
    }

    public Map<String, FileContent> secret(SecretVolumeSource volume, String namespace) {
        int mode = volume.getDefaultMode() == null ? DEFAULT_MODE : volume.getDefaultMode();
        Optional<Map<String, byte[]>> data = source.secret(namespace, volume.getSecretName());
        if (data.isEmpty()) {
            if (Boolean.TRUE.equals(volume.getOptional())) {
                return Map.of();
            }
            throw new NodeException("secret \"" + volume.getSecretName() + "\" not found");
        }
        return keys(
                data.get(),
                volume.getItems(),
                mode,
                Boolean.TRUE.equals(volume.getOptional()),
                "Secret " + namespace + "/" + volume.getSecretName());
    }

    public Map<String, FileContent> configMap(ConfigMapVolumeSource volume, String namespace) {
        int mode = volume.getDefaultMode() == null ? DEFAULT_MODE : volume.getDefaultMode();
        Optional<Map<String, byte[]>> data = source.configMap(namespace, volume.getName());
        if (data.isEmpty()) {
            if (Boolean.TRUE.equals(volume.getOptional())) {
                return Map.of();
            }
            throw new NodeException("configmap \"" + volume.getName() + "\" not found");
        }
        return keys(
                data.get(),
                volume.getItems(),
                mode,
                Boolean.TRUE.equals(volume.getOptional()),
                "ConfigMap " + namespace + "/" + volume.getName());
    }

    public Map<String, FileContent> downwardApi(
            List<DownwardAPIVolumeFile> items, Integer defaultMode, PodFacts facts) {
        int mode = defaultMode == null ? DEFAULT_MODE : defaultMode;
        Map<String, FileContent> files = new TreeMap<>();
        for (DownwardAPIVolumeFile item : items) {
            String value;
            if (item.getFieldRef() != null) {
                value = FieldRefs.field(item.getFieldRef(), facts);
            } else if (item.getResourceFieldRef() != null) {
                String name = item.getResourceFieldRef().getContainerName();
                Container container = facts.pod().getSpec().getContainers().stream()
                        .filter(c -> c.getName().equals(name))
                        .findFirst()
                        .orElse(null);
                value = FieldRefs.resource(item.getResourceFieldRef(), container, facts);
            } else {
                throw new NodeException(
                        "downwardAPI item " + item.getPath() + " names neither fieldRef nor resourceFieldRef");
            }
            files.put(
                    checkPath(item.getPath()),
                    new FileContent(
                            value.getBytes(StandardCharsets.UTF_8), item.getMode() == null ? mode : item.getMode()));
        }
        return files;
    }

    public Map<String, FileContent> projected(ProjectedVolumeSource volume, PodFacts facts, Tokens tokens) {
        int mode = volume.getDefaultMode() == null ? DEFAULT_MODE : volume.getDefaultMode();
        String namespace = facts.pod().getMetadata().getNamespace();
        Map<String, FileContent> files = new TreeMap<>();
        for (VolumeProjection p : volume.getSources()) {
            if (p.getSecret() != null) {
                SecretProjection s = p.getSecret();
                Optional<Map<String, byte[]>> data = source.secret(namespace, s.getName());
                if (data.isEmpty() && !Boolean.TRUE.equals(s.getOptional())) {
                    throw new NodeException("secret \"" + s.getName() + "\" not found");
                }
                data.ifPresent(d -> files.putAll(keys(
                        d,
                        s.getItems(),
                        mode,
                        Boolean.TRUE.equals(s.getOptional()),
                        "Secret " + namespace + "/" + s.getName())));
            } else if (p.getConfigMap() != null) {
                ConfigMapProjection c = p.getConfigMap();
                Optional<Map<String, byte[]>> data = source.configMap(namespace, c.getName());
                if (data.isEmpty() && !Boolean.TRUE.equals(c.getOptional())) {
                    throw new NodeException("configmap \"" + c.getName() + "\" not found");
                }
                data.ifPresent(d -> files.putAll(keys(
                        d,
                        c.getItems(),
                        mode,
                        Boolean.TRUE.equals(c.getOptional()),
                        "ConfigMap " + namespace + "/" + c.getName())));
            } else if (p.getDownwardAPI() != null) {
                files.putAll(downwardApi(p.getDownwardAPI().getItems(), mode, facts));
            } else if (p.getServiceAccountToken() != null) {
                ServiceAccountTokenProjection t = p.getServiceAccountToken();
                files.put(
                        checkPath(t.getPath()),
                        new FileContent(tokens.apply(t).getBytes(StandardCharsets.UTF_8), mode));
            } else {
                throw new NodeException(
                        "projected source not supported by the seldonj node (secret, configMap, downwardAPI,"
                                + " serviceAccountToken are)");
            }
        }
        return files;
    }

    private static Map<String, FileContent> keys(
            Map<String, byte[]> data, List<KeyToPath> items, int mode, boolean optional, String what) {
        Map<String, FileContent> files = new LinkedHashMap<>();
        if (items == null || items.isEmpty()) {
            new TreeMap<>(data).forEach((k, v) -> files.put(checkPath(k), new FileContent(v, mode)));
            return files;
        }
        for (KeyToPath item : items) {
            byte[] value = data.get(item.getKey());
            if (value == null) {
                if (optional) {
                    continue;
                }
                throw new NodeException("couldn't find key " + item.getKey() + " in " + what);
            }
            files.put(
                    checkPath(item.getPath()), new FileContent(value, item.getMode() == null ? mode : item.getMode()));
        }
        return files;
    }

    /** A file path inside a volume: relative, without {@code ..} elements, not starting with {@code ..}. */
    static String checkPath(String path) {
        if (path == null
                || path.isEmpty()
                || path.startsWith("/")
                || path.startsWith("..")
                || List.of(path.split("/")).contains("..")) {
            throw new NodeException("invalid path in volume: '" + path + "'");
        }
        return path;
    }
}
