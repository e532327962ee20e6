package dev.seldonj.node.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seldonj.node.container.ConfigSource;
import dev.seldonj.node.container.PodFacts;
import io.fabric8.kubernetes.api.model.ConfigMapVolumeSourceBuilder;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFileBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSource;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSourceBuilder;
import io.fabric8.kubernetes.api.model.SecretVolumeSourceBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VolumeFilesTest {

    private static final ConfigSource SOURCE = new ConfigSource() {
        @Override
        public Optional<Map<String, byte[]>> secret(String namespace, String name) {
            return "tls".equals(name)
                    ? Optional.of(Map.of("tls.crt", b("CERT"), "tls.key", b("KEY")))
                    : Optional.empty();
        }

        @Override
        public Optional<Map<String, byte[]>> configMap(String namespace, String name) {
            return "kube-root-ca.crt".equals(name) ? Optional.of(Map.of("ca.crt", b("CA"))) : Optional.empty();
        }
    };

    private final VolumeFiles files = new VolumeFiles(SOURCE);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(FileContent f) {
        return new String(f.data(), StandardCharsets.UTF_8);
    }

    private static PodFacts facts() {
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName("p")
                .withNamespace("ns")
                .withUid("u")
                .addToLabels("app", "a")
                .endMetadata()
                .withNewSpec()
                .withServiceAccountName("sa")
                .endSpec()
                .build();
        return new PodFacts(pod, "10.244.100.2", "10.244.100.1", Map.of());
    }

    @Test
    void aSecretVolumeHoldsEveryKeyWithTheDefaultModeOrOnlyItsItems() {
        var all = files.secret(
                new SecretVolumeSourceBuilder().withSecretName("tls").build(), "ns");
        assertThat(all).containsOnlyKeys("tls.crt", "tls.key");
        assertThat(all.get("tls.key").mode()).isEqualTo(0644);
        var items = files.secret(
                new SecretVolumeSourceBuilder()
                        .withSecretName("tls")
                        .withDefaultMode(0400)
                        .addNewItem()
                        .withKey("tls.crt")
                        .withPath("certs/server.crt")
                        .endItem()
                        .addNewItem()
                        .withKey("tls.key")
                        .withPath("server.key")
                        .withMode(0600)
                        .endItem()
                        .build(),
                "ns");
        assertThat(items).containsOnlyKeys("certs/server.crt", "server.key");
        assertThat(items.get("certs/server.crt").mode()).isEqualTo(0400);
        assertThat(items.get("server.key").mode()).isEqualTo(0600);
    }

    @Test
    void missingObjectsAndKeysFailUnlessOptional() {
        assertThatThrownBy(() -> files.secret(
                        new SecretVolumeSourceBuilder().withSecretName("nope").build(), "ns"))
                .hasMessage("secret \"nope\" not found");
        assertThat(files.secret(
                        new SecretVolumeSourceBuilder()
                                .withSecretName("nope")
                                .withOptional(true)
                                .build(),
                        "ns"))
                .isEmpty();
        assertThatThrownBy(() -> files.configMap(
                        new ConfigMapVolumeSourceBuilder()
                                .withName("kube-root-ca.crt")
                                .addNewItem()
                                .withKey("other")
                                .withPath("x")
                                .endItem()
                                .build(),
                        "ns"))
                .hasMessage("couldn't find key other in ConfigMap ns/kube-root-ca.crt");
    }

    @Test
    void theKubeApiAccessVolumeHasTokenCaAndNamespace() {
        ProjectedVolumeSource kubeApiAccess = new ProjectedVolumeSourceBuilder()
                .withDefaultMode(0644)
                .addNewSource()
                .withNewServiceAccountToken()
                .withExpirationSeconds(3607L)
                .withPath("token")
                .endServiceAccountToken()
                .endSource()
                .addNewSource()
                .withNewConfigMap()
                .withName("kube-root-ca.crt")
                .addNewItem()
                .withKey("ca.crt")
                .withPath("ca.crt")
                .endItem()
                .endConfigMap()
                .endSource()
                .addNewSource()
                .withNewDownwardAPI()
                .addNewItem()
                .withPath("namespace")
                .withNewFieldRef()
                .withApiVersion("v1")
                .withFieldPath("metadata.namespace")
                .endFieldRef()
                .endItem()
                .endDownwardAPI()
                .endSource()
                .build();
        var out = files.projected(kubeApiAccess, facts(), t -> "jwt-for-" + t.getExpirationSeconds());
        assertThat(out).containsOnlyKeys("token", "ca.crt", "namespace");
        assertThat(text(out.get("token"))).isEqualTo("jwt-for-3607");
        assertThat(text(out.get("ca.crt"))).isEqualTo("CA");
        assertThat(text(out.get("namespace"))).isEqualTo("ns");
    }

    @Test
    void downwardApiFilesAndUnsafePathsAreRefused() {
        var out = files.downwardApi(
                List.of(new DownwardAPIVolumeFileBuilder()
                        .withPath("labels")
                        .withNewFieldRef()
                        .withFieldPath("metadata.labels")
                        .endFieldRef()
                        .build()),
                null,
                facts());
        assertThat(text(out.get("labels"))).isEqualTo("app=\"a\"");
        assertThatThrownBy(() -> VolumeFiles.checkPath("../etc/passwd")).hasMessageContaining("invalid path");
        assertThatThrownBy(() -> VolumeFiles.checkPath("/abs")).hasMessageContaining("invalid path");
        assertThatThrownBy(() -> VolumeFiles.checkPath("a/../../b")).hasMessageContaining("invalid path");
        assertThat(VolumeFiles.checkPath("a/b.txt")).isEqualTo("a/b.txt");
    }

    @Test
    void aTokenIsRenewedAfterEightyPercentOfItsLifeOrADay() {
        Instant issued = Instant.parse("2025-01-01T00:00:00Z");
        TokenSource.Token hour = new TokenSource.Token("t", issued, issued.plusSeconds(3600));
        assertThat(hour.due(issued.plusSeconds(2879))).isFalse();
        assertThat(hour.due(issued.plusSeconds(2880))).isTrue();
        TokenSource.Token year = new TokenSource.Token("t", issued, issued.plusSeconds(365L * 24 * 3600));
        assertThat(year.due(issued.plusSeconds(23 * 3600))).isFalse();
        assertThat(year.due(issued.plusSeconds(24 * 3600))).isTrue();
    }
}
