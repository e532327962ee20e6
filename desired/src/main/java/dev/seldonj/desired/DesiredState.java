package dev.seldonj.desired;

import dev.seldonj.api.defaults.Defaulter;
import dev.seldonj.api.model.PredictorSpec;
import dev.seldonj.api.model.SeldonDeployment;
import dev.seldonj.desired.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the controller creates for one SeldonDeployment, as a pure function of the resource and
 * the configuration: no client, no environment, no clock. The reconciler applies the result,
 * {@code render} prints it, and the local runner runs its pods as processes, so all three agree.
 *
 * <p>Objects come in a stable order: per predictor its Deployments, Services, then HPAs/ScaledObjects
 * and PDBs per componentSpec, then its explainer's Deployment and Service; then the Emissary Mappings; then the Istio routes. Owner references to
 * the SeldonDeployment are set when it has a uid (a resource read from the API server), and left out
 * for a file.
 *
 * <p>The input should have passed {@code SeldonDeploymentValidator}; problems only visible here (an
 * annotation that must be an integer) throw {@code InvalidManifestException} with their path.
 */
public final class DesiredState {

    private DesiredState() {}

    /** The objects for {@code sdep}, after Seldon's defaulting (which is never written back to the resource). */
    public static List<HasMetadata> of(SeldonDeployment sdep, OperatorConfig config) {
        SeldonDeployment defaulted = new Defaulter(config.defaultingConfig()).apply(sdep);
        List<PredictorContext> predictors = new ArrayList<>();
        List<PredictorSpec> specs = defaulted.getSpec().getPredictors();
        for (int i = 0; i < specs.size(); i++) {
            predictors.add(new PredictorContext(defaulted, specs.get(i), i, config));
        }
        List<HasMetadata> objects = new ArrayList<>();
        for (PredictorContext ctx : predictors) {
            List<Deployment> deployments = Deployments.build(ctx);
            objects.addAll(deployments);
            objects.addAll(Services.build(ctx));
            for (int i = 0; i < ctx.componentSpecs().size(); i++) {
                objects.addAll(Autoscalers.build(ctx, i, deployments.get(i)));
            }
            objects.addAll(Explainers.build(ctx));
        }
        if (config.ambassador().enabled()) {
            predictors.forEach(ctx -> objects.addAll(AmbassadorMappings.build(ctx)));
        }
        if (config.istio().enabled() && !predictors.isEmpty()) {
            objects.addAll(IstioRoutes.build(predictors));
        }
        return List.copyOf(objects);
    }
}
