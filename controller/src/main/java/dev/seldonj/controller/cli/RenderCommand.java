package dev.seldonj.controller.cli;

import dev.seldonj.api.manifest.Manifests;
import dev.seldonj.api.model.SeldonDeployment;
import dev.seldonj.api.validation.InvalidManifestException;
import dev.seldonj.api.validation.Problem;
import dev.seldonj.api.validation.SeldonDeploymentValidator;
import dev.seldonj.desired.DesiredState;
import dev.seldonj.desired.config.OperatorConfig;
import dev.seldonj.desired.config.OperatorConfigLoader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code render -f FILE}: validates a SeldonDeployment file like the webhook does and prints, as a
 * {@code ---} separated YAML stream, exactly the objects {@link DesiredState} gives the controller.
 * Exit code 1 with every problem and its path on stderr when the file is invalid.
 */
@Command(
        name = "render",
        mixinStandardHelpOptions = true,
        description = "Print the objects the controller would create for a SeldonDeployment file.")
public final class RenderCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-f", "--filename"},
            required = true,
            description = "SeldonDeployment YAML or JSON file")
    Path file;

    @Option(
            names = {"-n", "--namespace"},
            description = "Namespace to render into (default: the file's, else default)")
    String namespace;

    @Option(
            names = {"-c", "--config"},
            description = "Controller settings file (controller.yaml, as the chart's ConfigMap holds it); "
                    + "default settings otherwise")
    Path config;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            OperatorConfig settings =
                    config == null ? OperatorConfig.defaults() : OperatorConfigLoader.fromFile(config);
            SeldonDeploymentValidator validator = new SeldonDeploymentValidator(settings.validationContext());
            SeldonDeploymentValidator.Result result =
                    Manifests.readResult(Manifests.readFile(file), file.toString(), validator);
            result.warnings().forEach(w -> err.println(file + ": " + w));
            SeldonDeployment sdep = result.orThrow(file.toString());
            if (namespace != null && !namespace.isEmpty()) {
                sdep.getMetadata().setNamespace(namespace);
            }
            out.print(render(DesiredState.of(sdep, settings)));
            out.flush();
            return 0;
        } catch (InvalidManifestException e) {
            for (Problem p : e.problems()) {
                err.println(file + ": " + p);
            }
            err.flush();
            return 1;
        } catch (OperatorConfigLoader.InvalidConfigException e) {
            err.println(e.getMessage()); // names the file and the key
            err.flush();
            return 1;
        }
    }

    /** The objects as a YAML stream that {@code Serialization.unmarshal} and kubectl read back. */
    public static String render(List<HasMetadata> objects) {
        StringBuilder yaml = new StringBuilder();
        for (HasMetadata object : objects) {
            String doc = Serialization.asYaml(object);
            yaml.append(doc.startsWith("---") ? doc : "---\n" + doc);
            if (!doc.endsWith("\n")) {
                yaml.append('\n');
            }
        }
        return yaml.toString();
    }
}
