package dev.seldonj.charts;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** `helm template` of one chart through the embedded Helm (helm-java), offline. */
final class HelmRender {

    static final String NAMESPACE = "seldon-system";

    private final Path chart;
    private String release;
    private String namespace = NAMESPACE;
    private final Map<String, Object> sets = new LinkedHashMap<>();
    private final List<Path> valuesFiles = new ArrayList<>();

    private HelmRender(Path chart, String release) {
        this.chart = chart;
        this.release = release;
    }

    static HelmRender of(Path chart, String release) {
        return new HelmRender(chart, release);
    }

    HelmRender namespace(String namespace) {
        this.namespace = namespace;
        return this;
    }

    /** A `--set key=value`. */
    HelmRender set(String key, Object value) {
        sets.put(key, value);
        return this;
    }

    HelmRender set(Map<String, ?> values) {
        sets.putAll(values);
        return this;
    }

    /** A `-f file`. */
    HelmRender values(Path file) {
        valuesFiles.add(file);
        return this;
    }

    /** The rendered objects; throws {@link HelmException} with Helm's message when rendering fails. */
    Manifest render() {
        TemplateCommand command = new Helm(chart).template().withName(release).withNamespace(namespace);
        for (Path file : valuesFiles) {
            command = command.withValuesFile(file);
        }
        for (Map.Entry<String, Object> set : sets.entrySet()) {
            command = command.set(set.getKey(), set.getValue());
        }
        String output;
        try {
            output = command.call();
        } catch (RuntimeException e) {
            throw new HelmException(e.getMessage(), e);
        }
        // helm-java answers null when the chart renders no object at all.
        return Manifest.parse(
                output == null ? "" : output, chart.getFileName() + " (release " + release + ", " + sets + ")");
    }

    /** Helm refused to render: its message. */
    static final class HelmException extends RuntimeException {
        HelmException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
