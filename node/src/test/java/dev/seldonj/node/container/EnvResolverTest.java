package dev.seldonj.node.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvResolverTest {

    /** Secrets and ConfigMaps of namespace "ns", from maps. */
    static ConfigSource source(Map<String, Map<String, String>> secrets, Map<String, Map<String, String>> configMaps) {
        return new ConfigSource() {
            @Override
            public Optional<Map<String, byte[]>> secret(String namespace, String name) {
                return Optional.ofNullable(secrets.get(name)).map(EnvResolverTest::bytes);
            }

            @Override
            public Optional<Map<String, byte[]>> configMap(String namespace, String name) {
                return Optional.ofNullable(configMaps.get(name)).map(EnvResolverTest::bytes);
            }
        };
    }

    private static Map<String, byte[]> bytes(Map<String, String> m) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return out;
    }

    static Pod pod(Container c) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("p")
                .withNamespace("ns")
                .withUid("u-1")
                .addToLabels("app", "a")
                .addToLabels("tier", "web")
                .addToAnnotations("note", "x")
                .endMetadata()
                .withNewSpec()
                .withNodeName("seldonj-node")
                .withServiceAccountName("sa")
                .withContainers(c)
                .endSpec()
                .build();
    }

    static PodFacts facts(Pod pod) {
        return new PodFacts(
                pod, "10.244.100.7", "10.244.100.1", Map.of("cpu", new Quantity("2"), "memory", new Quantity("4Gi")));
    }

    private final EnvResolver resolver = new EnvResolver(source(
            Map.of("s", Map.of("password", "pw", "user", "u")),
            Map.of("c", Map.of("MODE", "fast", "bad=key", "skipped"))));

    @Test
    void kubeletVariablesThenEnvFromThenEnvInOrderWithExpansion() {
        Container c = new ContainerBuilder()
                .withName("main")
                .addNewEnvFrom()
                .withPrefix("CFG_")
                .withNewConfigMapRef()
                .withName("c")
                .endConfigMapRef()
                .endEnvFrom()
                .addNewEnvFrom()
                .withNewSecretRef()
                .withName("s")
                .endSecretRef()
                .endEnvFrom()
                .addNewEnv()
                .withName("A")
                .withValue("$(KUBERNETES_SERVICE_HOST):$(CFG_MODE)")
                .endEnv()
                .addNewEnv()
                .withName("B")
                .withValue("$(A)/$(LATER)")
                .endEnv()
                .addNewEnv()
                .withName("LATER")
                .withValue("l")
                .endEnv()
                .addNewEnv()
                .withName("user")
                .withValue("override")
                .endEnv()
                .build();
        Map<String, String> env = resolver.resolve(c, facts(pod(c)), Map.of("KUBERNETES_SERVICE_HOST", "10.244.100.1"));
        assertThat(env)
                .containsEntry("CFG_MODE", "fast")
                .doesNotContainKey("CFG_bad=key")
                .containsEntry("password", "pw")
                .containsEntry("user", "override")
                .containsEntry("A", "10.244.100.1:fast")
                .containsEntry("B", "10.244.100.1:fast/$(LATER)");
        assertThat(env.keySet()).startsWith("KUBERNETES_SERVICE_HOST");
    }

    @Test
    void fieldRefsAndResourceFieldRefs() {
        Container c = new ContainerBuilder()
                .withName("main")
                .addNewEnv()
                .withName("NAME")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("metadata.name")
                .endFieldRef()
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("NS")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("metadata.namespace")
                .endFieldRef()
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("UID")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("metadata.uid")
                .endFieldRef()
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("TIER")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("metadata.labels['tier']")
                .endFieldRef()
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("NOTE")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("metadata.annotations['note']")
                .endFieldRef()
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("IP")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("status.podIP")
                .endFieldRef()
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("HOST")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("status.hostIP")
                .endFieldRef()
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("NODE")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("spec.nodeName")
                .endFieldRef()
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("SA")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("spec.serviceAccountName")
                .endFieldRef()
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("MEM")
                .withNewValueFrom()
                .withNewResourceFieldRef()
                .withResource("limits.memory")
                .withDivisor(new Quantity("1Mi"))
                .endResourceFieldRef()
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("CPU")
                .withNewValueFrom()
                .withNewResourceFieldRef()
                .withResource("limits.cpu")
                .endResourceFieldRef()
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("CPU_REQ_M")
                .withNewValueFrom()
                .withNewResourceFieldRef()
                .withResource("requests.cpu")
                .withDivisor(new Quantity("1m"))
                .endResourceFieldRef()
                .endValueFrom()
                .endEnv()
                .withNewResources()
                .addToRequests("cpu", new Quantity("250m"))
                .endResources()
                .build();
        Map<String, String> env = resolver.resolve(c, facts(pod(c)), Map.of());
        assertThat(env)
                .containsEntry("NAME", "p")
                .containsEntry("NS", "ns")
                .containsEntry("UID", "u-1")
                .containsEntry("TIER", "web")
                .containsEntry("NOTE", "x")
                .containsEntry("IP", "10.244.100.7")
                .containsEntry("HOST", "10.244.100.1")
                .containsEntry("NODE", "seldonj-node")
                .containsEntry("SA", "sa")
                .containsEntry("MEM", "4096")
                .containsEntry("CPU", "2")
                .containsEntry("CPU_REQ_M", "250");
    }

    @Test
    void aCpuLimitIsRoundedUpToWholeCores() {
        Container c = new ContainerBuilder()
                .withName("main")
                .addNewEnv()
                .withName("CPU")
                .withNewValueFrom()
                .withNewResourceFieldRef()
                .withResource("limits.cpu")
                .endResourceFieldRef()
                .endValueFrom()
                .endEnv()
                .withNewResources()
                .addToLimits("cpu", new Quantity("1500m"))
                .endResources()
                .build();
        assertThat(resolver.resolve(c, facts(pod(c)), Map.of())).containsEntry("CPU", "2");
    }

    @Test
    void secretAndConfigMapKeysHonourOptional() {
        Container c = new ContainerBuilder()
                .withName("main")
                .addNewEnv()
                .withName("PW")
                .withNewValueFrom()
                .withNewSecretKeyRef()
                .withName("s")
                .withKey("password")
                .endSecretKeyRef()
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("MODE")
                .withNewValueFrom()
                .withNewConfigMapKeyRef()
                .withName("c")
                .withKey("MODE")
                .endConfigMapKeyRef()
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("NO_SECRET")
                .withNewValueFrom()
                .withNewSecretKeyRef()
                .withName("nope")
                .withKey("k")
                .withOptional(true)
                .endSecretKeyRef()
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("NO_KEY")
                .withNewValueFrom()
                .withNewConfigMapKeyRef()
                .withName("c")
                .withKey("k")
                .withOptional(true)
                .endConfigMapKeyRef()
                .endValueFrom()
                .endEnv()
                .addNewEnvFrom()
                .withNewSecretRef()
                .withName("nope")
                .withOptional(true)
                .endSecretRef()
                .endEnvFrom()
                .build();
        assertThat(resolver.resolve(c, facts(pod(c)), Map.of()))
                .containsEntry("PW", "pw")
                .containsEntry("MODE", "fast")
                .doesNotContainKeys("NO_SECRET", "NO_KEY");
    }

    @Test
    void aMissingRequiredReferenceIsACreateContainerConfigError() {
        Container missingSecret = new ContainerBuilder()
                .withName("m")
                .addNewEnv()
                .withName("X")
                .withNewValueFrom()
                .withNewSecretKeyRef()
                .withName("nope")
                .withKey("k")
                .endSecretKeyRef()
                .endValueFrom()
                .endEnv()
                .build();
        assertThatThrownBy(() -> resolver.resolve(missingSecret, facts(pod(missingSecret)), Map.of()))
                .isInstanceOfSatisfying(
                        ContainerConfigException.class,
                        e -> assertThat(e.reason()).isEqualTo("CreateContainerConfigError"))
                .hasMessage("secret \"nope\" not found");
        Container missingKey = new ContainerBuilder()
                .withName("m")
                .addNewEnv()
                .withName("X")
                .withNewValueFrom()
                .withNewConfigMapKeyRef()
                .withName("c")
                .withKey("k")
                .endConfigMapKeyRef()
                .endValueFrom()
                .endEnv()
                .build();
        assertThatThrownBy(() -> resolver.resolve(missingKey, facts(pod(missingKey)), Map.of()))
                .hasMessage("couldn't find key k in ConfigMap ns/c");
        Container missingMap = new ContainerBuilder()
                .withName("m")
                .addNewEnvFrom()
                .withNewConfigMapRef()
                .withName("gone")
                .endConfigMapRef()
                .endEnvFrom()
                .build();
        assertThatThrownBy(() -> resolver.resolve(missingMap, facts(pod(missingMap)), Map.of()))
                .hasMessage("configmap \"gone\" not found");
    }

    @Test
    void wholeLabelMapsAreFormattedAsKubeletWritesThem() {
        assertThat(FieldRefs.formatMap(Map.of("b", "2", "a", "say \"hi\""))).isEqualTo("a=\"say \\\"hi\\\"\"\nb=\"2\"");
    }
}
