package dev.seldonj.node.container;

import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A container's environment as kubelet makes it: first the variables kubelet adds itself (the API
 * server's address), then {@code envFrom} in order, then {@code env} in order, each value expanded with
 * the {@code $(VAR)}s defined before it. Missing Secrets, ConfigMaps or keys fail the container
 * ({@code CreateContainerConfigError}) unless the reference is {@code optional}.
 */
public final class EnvResolver {

    private final ConfigSource source;

    public EnvResolver(ConfigSource source) {
        this.source = source;
    }

    /**
     * @param kubeletVars what kubelet adds before the container's own variables (KUBERNETES_SERVICE_HOST, ...)
     */
    public Map<String, String> resolve(Container container, PodFacts facts, Map<String, String> kubeletVars) {
        String namespace = facts.pod().getMetadata().getNamespace();
        Map<String, String> env = new LinkedHashMap<>(kubeletVars);
        for (EnvFromSource from : container.getEnvFrom()) {
            String prefix = from.getPrefix() == null ? "" : from.getPrefix();
            Map<String, byte[]> data = envFromData(from, namespace);
            data.forEach((key, value) -> {
                String name = prefix + key;
                // kubelet skips keys that cannot be variable names (and says so in an event).
                if (!name.isEmpty() && name.indexOf('=') < 0) {
                    env.put(name, new String(value, StandardCharsets.UTF_8));
                }
            });
        }
        for (EnvVar var : container.getEnv()) {
            if (var.getValueFrom() == null) {
                env.put(var.getName(), Expansion.expand(var.getValue() == null ? "" : var.getValue(), env));
            } else {
                valueFrom(var, container, facts, namespace).ifPresent(v -> env.put(var.getName(), v));
            }
        }
        return env;
    }

    private Map<String, byte[]> envFromData(EnvFromSource from, String namespace) {
        if (from.getConfigMapRef() != null) {
            String name = from.getConfigMapRef().getName();
            Optional<Map<String, byte[]>> data = source.configMap(namespace, name);
            if (data.isEmpty() && !Boolean.TRUE.equals(from.getConfigMapRef().getOptional())) {
                throw configError("configmap \"" + name + "\" not found");
            }
            return data.orElse(Map.of());
        }
        if (from.getSecretRef() != null) {
            String name = from.getSecretRef().getName();
            Optional<Map<String, byte[]>> data = source.secret(namespace, name);
            if (data.isEmpty() && !Boolean.TRUE.equals(from.getSecretRef().getOptional())) {
                throw configError("secret \"" + name + "\" not found");
            }
            return data.orElse(Map.of());
        }
        return Map.of();
    }

    private Optional<String> valueFrom(EnvVar var, Container container, PodFacts facts, String namespace) {
        EnvVarSource from = var.getValueFrom();
        if (from.getFieldRef() != null) {
            return Optional.of(FieldRefs.field(from.getFieldRef(), facts));
        }
        if (from.getResourceFieldRef() != null) {
            return Optional.of(FieldRefs.resource(from.getResourceFieldRef(), container, facts));
        }
        if (from.getSecretKeyRef() != null) {
            SecretKeySelector ref = from.getSecretKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            Optional<Map<String, byte[]>> data = source.secret(namespace, ref.getName());
            if (data.isEmpty()) {
                if (optional) {
                    return Optional.empty();
                }
                throw configError("secret \"" + ref.getName() + "\" not found");
            }
            byte[] value = data.get().get(ref.getKey());
            if (value == null) {
                if (optional) {
                    return Optional.empty();
                }
                throw configError(
                        "couldn't find key " + ref.getKey() + " in Secret " + namespace + "/" + ref.getName());
            }
            return Optional.of(new String(value, StandardCharsets.UTF_8));
        }
        if (from.getConfigMapKeyRef() != null) {
            ConfigMapKeySelector ref = from.getConfigMapKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            Optional<Map<String, byte[]>> data = source.configMap(namespace, ref.getName());
            if (data.isEmpty()) {
                if (optional) {
                    return Optional.empty();
                }
                throw configError("configmap \"" + ref.getName() + "\" not found");
            }
            byte[] value = data.get().get(ref.getKey());
            if (value == null) {
                if (optional) {
                    return Optional.empty();
                }
                throw configError(
                        "couldn't find key " + ref.getKey() + " in ConfigMap " + namespace + "/" + ref.getName());
            }
            return Optional.of(new String(value, StandardCharsets.UTF_8));
        }
        throw configError("env " + var.getName() + ": valueFrom names no source this node supports");
    }

    private static ContainerConfigException configError(String message) {
        return new ContainerConfigException(ContainerConfigException.CONFIG_ERROR, message);
    }
}
