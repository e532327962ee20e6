package dev.seldonj.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.seldonj.api.manifest.Manifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@code helm template} of one of this repository's charts with the embedded Helm (helm-java), offline. */
final class HelmChart {

    /** The checkout: the nearest directory upwards holding {@code charts/}. */
    static final Path REPOSITORY = findRepository();

    private HelmChart() {}

    /** The rendered objects, in Helm's order; Helm's own message when the chart refuses the values. */
    static List<JsonNode> template(String chart, String release, String namespace, Map<String, String> sets) {
        TemplateCommand command = new Helm(REPOSITORY.resolve("charts").resolve(chart))
                .template()
                .withName(release)
                .withNamespace(namespace);
        for (Map.Entry<String, String> set : sets.entrySet()) {
            command = command.set(set.getKey(), set.getValue());
        }
        String output = command.call();
        return Manifests.documents(
                        output == null ? "" : output, "helm template " + release + " charts/" + chart + " " + sets)
                .stream()
                .filter(document -> document != null && document.hasNonNull("kind"))
                .toList();
    }

    private static Path findRepository() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("charts").resolve("seldon-core-operator"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no charts/seldon-core-operator above " + start);
    }
}
