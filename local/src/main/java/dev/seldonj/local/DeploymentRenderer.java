package dev.seldonj.local;

import dev.seldonj.api.manifest.Manifests;
import dev.seldonj.api.model.SeldonDeployment;
import dev.seldonj.api.validation.InvalidManifestException;
import dev.seldonj.api.validation.SeldonDeploymentValidator;
import dev.seldonj.desired.DesiredState;
import dev.seldonj.desired.config.OperatorConfig;
import dev.seldonj.local.errors.RunnerException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Path;
import java.util.List;

/**
 * A SeldonDeployment file -> the objects the controller would create, by the controller's own
 * {@link DesiredState} called in-process, so the local run is the same desired state a cluster gets.
 * The manifest is validated first (the same validators as the webhook) for a clear error, and given
 * the run's namespace when it names none, so Service DNS names in the engine's graph agree with the runner.
 */
public final class DeploymentRenderer {

    private final OperatorConfig config;

    /** Renders with the controller's default settings, as {@code render} without {@code --config} does. */
    public DeploymentRenderer() {
        this(OperatorConfig.defaults());
    }

    public DeploymentRenderer(OperatorConfig config) {
        this.config = config;
    }

    public List<HasMetadata> render(Path deploymentFile, String namespace) {
        try {
            SeldonDeployment sdep =
                    Manifests.read(deploymentFile, new SeldonDeploymentValidator(config.validationContext()));
            if (sdep.getMetadata().getNamespace() == null
                    || sdep.getMetadata().getNamespace().isEmpty()) {
                sdep.getMetadata().setNamespace(namespace);
            }
            return DesiredState.of(sdep, config);
        } catch (InvalidManifestException e) {
            throw new RunnerException(e.getMessage(), e);
        }
    }
}
