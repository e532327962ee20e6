package dev.seldonj.api.crd;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Turns the CRD that fabric8's crd-generator writes at build time into the file the operator chart
 * ships. The schema is the generator's, untouched, with two size-saving steps so the file stays well
 * under the 256 KiB that client-side {@code kubectl apply} and Argo CD can hold (Seldon's could not,
 * SC#3254): collections of scalars are written in flow style, and the served-only versions
 * (v1alpha2, v1alpha3) drop the descriptions that v1, the version {@code kubectl explain} shows,
 * carries.
 */
public final class CrdFile {

    /** Where the crd-generator plugin writes the CRD, on the api module's classpath. */
    public static final String GENERATED_RESOURCE =
            "META-INF/fabric8/seldondeployments.machinelearning.seldon.io-v1.yml";

    /** The chart file, relative to the repository root. */
    public static final Path CHART_FILE =
            Path.of("charts", "seldon-core-operator", "files", "crd-seldondeployments.yaml");

    static final String HEADER = "# Generated from the Java model in api/ by the crd-generator; do not edit.\n"
            + "# Regenerate with `make crd`. A test fails when this file and the model disagree.\n";

    private CrdFile() {}

    /** The chart file's text for the generated CRD found on the classpath. */
    public static String renderFromClasspath() {
        try (InputStream in = CrdFile.class.getClassLoader().getResourceAsStream(GENERATED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        GENERATED_RESOURCE + " is not on the classpath: build the api module first");
            }
            return render(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The chart file's text for a generated CRD's YAML. */
    @SuppressWarnings("unchecked")
    public static String render(String generatedYaml) {
        Map<String, Object> crd =
                (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(generatedYaml);
        Map<String, Object> spec = (Map<String, Object>) crd.get("spec");
        for (Object version : (List<Object>) spec.get("versions")) {
            Map<String, Object> v = (Map<String, Object>) version;
            if (!Boolean.TRUE.equals(v.get("storage"))) {
                stripDescriptions(v.get("schema"));
            }
        }
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.AUTO);
        options.setWidth(Integer.MAX_VALUE);
        options.setIndent(2);
        options.setSplitLines(false);
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()), new Representer(options), options);
        return HEADER + yaml.dump(crd);
    }

    @SuppressWarnings("unchecked")
    private static void stripDescriptions(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> m = (Map<String, Object>) map;
            // Only schema nodes carry a string "description"; a property named "description" is a map.
            if (m.get("description") instanceof String) {
                m.remove("description");
            }
            m.values().forEach(CrdFile::stripDescriptions);
        } else if (node instanceof List<?> list) {
            list.forEach(CrdFile::stripDescriptions);
        }
    }

    /** Writes the chart file: {@code CrdFile [repository root]}. */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        Path target = root.resolve(CHART_FILE);
        Files.createDirectories(target.getParent());
        Files.writeString(target, renderFromClasspath(), StandardCharsets.UTF_8);
        System.out.println("wrote " + target);
    }
}
