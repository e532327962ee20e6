package dev.seldonj.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seldonj.api.manifest.Manifests;
import dev.seldonj.api.model.SeldonDeployment;
import dev.seldonj.api.validation.SeldonDeploymentValidator;
import dev.seldonj.desired.DesiredState;
import dev.seldonj.desired.config.OperatorConfigLoader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Server-side apply merges these lists as maps keyed by the given fields and refuses an applied
 * object with two entries of one key (a real API server answers 422 "duplicate entries for key"; the
 * mock stores anything). Every seed's apply bodies, with every optional kind enabled, are checked
 * here so a duplicate is found without a cluster.
 */
class ListMapKeysTest {

    /** List name -> key fields, as in the Kubernetes API (x-kubernetes-list-map-keys / patchMergeKey). */
    private static final Map<String, List<String>> KEYS = Map.of(
            "containers", List.of("name"),
            "initContainers", List.of("name"),
            "env", List.of("name"),
            "volumes", List.of("name"),
            "volumeMounts", List.of("mountPath"),
            "imagePullSecrets", List.of("name"),
            "ownerReferences", List.of("uid"));

    static Stream<Path> seeds() throws IOException {
        Path root = MockCluster.repositoryRoot();
        return Stream.concat(
                        Files.list(root.resolve("api/src/test/resources/seeds")).sorted(),
                        Stream.of(root.resolve("examples/seldon-model.yaml")))
                .filter(p -> !p.getFileName().toString().contains("malformed"));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void noAppliedListHoldsAKeyTwice(Path seed) throws IOException {
        SeldonDeployment sdep =
                Manifests.read(Files.readString(seed), seed.toString(), SeldonDeploymentValidator.withDefaults());
        sdep.getMetadata().setNamespace("ns");
        sdep.getMetadata().setUid("0000-owner");
        var config = OperatorConfigLoader.fromYaml("istio: {enabled: true}\nkeda: {enabled: true}");
        List<String> duplicates = new ArrayList<>();
        for (HasMetadata object : DesiredState.of(sdep, config)) {
            JsonNode body = Serialization.jsonMapper().valueToTree(AppliedObject.body(object));
            walk(body, object.getKind() + " " + object.getMetadata().getName(), duplicates);
        }
        assertThat(duplicates).isEmpty();
    }

    private static void walk(JsonNode node, String path, List<String> duplicates) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                JsonNode value = field.getValue();
                if (value.isArray()
                        && (KEYS.containsKey(field.getKey()) || field.getKey().equals("ports"))) {
                    Set<String> seen = new HashSet<>();
                    for (JsonNode item : value) {
                        String key = key(field.getKey(), item);
                        if (!seen.add(key)) {
                            duplicates.add(path + "." + field.getKey() + ": duplicate " + key);
                        }
                    }
                }
                walk(value, path + "." + field.getKey(), duplicates);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "[" + i + "]", duplicates);
            }
        }
    }

    /** The entry's key; ports are keyed by (containerPort or port, protocol defaulting to TCP). */
    private static String key(String list, JsonNode item) {
        if (list.equals("ports")) {
            String port = item.has("containerPort")
                    ? item.path("containerPort").asText()
                    : item.path("port").asText();
            return port + "/" + item.path("protocol").asText("TCP");
        }
        StringBuilder key = new StringBuilder();
        for (String field : KEYS.get(list)) {
            key.append(field).append('=').append(item.path(field).asText()).append(' ');
        }
        return key.toString().trim();
    }
}
