package dev.seldonj.desired;

import dev.seldonj.api.defaults.Names;
import dev.seldonj.api.graph.Graph;
import dev.seldonj.api.graph.Implementations;
import dev.seldonj.api.model.PredictiveUnit;
import dev.seldonj.api.model.PredictorSpec;
import dev.seldonj.api.model.Protocol;
import dev.seldonj.api.model.SeldonDeployment;
import dev.seldonj.api.model.SeldonDeploymentSpec;
import dev.seldonj.api.model.SeldonPodSpec;
import dev.seldonj.api.model.Transport;
import dev.seldonj.api.validation.InvalidManifestException;
import dev.seldonj.api.validation.Problem;
import dev.seldonj.desired.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One predictor of a defaulted SeldonDeployment with the names and settings every builder needs.
 * Names follow Seldon's operator (seldon-v1.md section 2.1).
 */
record PredictorContext(SeldonDeployment sdep, PredictorSpec predictor, int index, OperatorConfig config) {

    String sdepName() {
        return sdep.getMetadata().getName();
    }

    String namespace() {
        return sdep.getMetadata().getNamespace();
    }

    SeldonDeploymentSpec spec() {
        return sdep.getSpec();
    }

    Protocol protocol() {
        return spec().getProtocol() == null ? Protocol.SELDON : spec().getProtocol();
    }

    Transport transport() {
        return spec().getTransport() == null ? Transport.REST : spec().getTransport();
    }

    /** The predictor's entry Service: {@code <sdep>-<predictor>} or annotation {@code seldon.io/svc-name}. */
    String serviceName() {
        String custom = predictorAnnotations().get(SeldonLabels.ANNOTATION_SVC_NAME);
        return custom != null && !custom.isEmpty()
                ? custom
                : Names.kubernetesName(sdepName() + "-" + predictor.getName());
    }

    List<SeldonPodSpec> componentSpecs() {
        return predictor.getComponentSpecs() == null ? List.of() : predictor.getComponentSpecs();
    }

    /** {@code <sdep>-<predictor>-<idx>-<metadata.name>} or {@code ...-<idx>-<container>-<container>...}. */
    String deploymentName(int componentIndex) {
        SeldonPodSpec pod = componentSpecs().get(componentIndex);
        String suffix = pod.getMetadata() != null
                        && pod.getMetadata().getName() != null
                        && !pod.getMetadata().getName().isEmpty()
                ? pod.getMetadata().getName()
                : pod.getSpec() == null
                        ? ""
                        : pod.getSpec().getContainers().stream()
                                .map(c -> c.getName())
                                .collect(Collectors.joining("-"));
        String name =
                sdepName() + "-" + predictor.getName() + "-" + componentIndex + (suffix.isEmpty() ? "" : "-" + suffix);
        return shorten(name);
    }

    /** The orchestrator's own Deployment, {@code <sdep>-<predictor>-svc-orch}. */
    String engineDeploymentName() {
        return shorten(sdepName() + "-" + predictor.getName() + "-svc-orch");
    }

    private String shorten(String name) {
        String hashed = Names.kubernetesName(name);
        if (config.deploymentNameAsPrefix() && !hashed.equals(name)) {
            // Names.kubernetesName gives seldon-<md5>; Seldon's prefix mode keeps the SeldonDeployment's name
            // instead, cut so that <prefix>-<md5> still fits 63 characters.
            String md5 = hashed.substring("seldon-".length());
            String prefix = sdepName().substring(0, Math.min(sdepName().length(), Names.MAX_LENGTH - md5.length() - 1));
            return prefix + "-" + md5;
        }
        return hashed;
    }

    boolean noEngine() {
        return "true".equals(predictorAnnotations().get(SeldonLabels.ANNOTATION_NO_ENGINE));
    }

    boolean engineSeparatePod() {
        return "true".equals(specAnnotations().get(SeldonLabels.ANNOTATION_ENGINE_SEPARATE_POD));
    }

    /** Whether the orchestrator runs in componentSpecs[0]'s pod rather than in its own Deployment. */
    boolean engineInFirstPod() {
        return !noEngine() && !engineSeparatePod() && !componentSpecs().isEmpty();
    }

    boolean engineInOwnPod() {
        return !noEngine() && !engineInFirstPod();
    }

    boolean shadow() {
        return Boolean.TRUE.equals(predictor.getShadow());
    }

    /** The graph node served by a container of this name, if any (built-ins have no container). */
    Optional<PredictiveUnit> unitForContainer(String containerName) {
        return Graph.find(predictor.getGraph(), containerName)
                .filter(u -> !Implementations.isBuiltIn(u.getImplementation()));
    }

    Map<String, String> specAnnotations() {
        return spec().getAnnotations() == null ? Map.of() : spec().getAnnotations();
    }

    Map<String, String> predictorAnnotations() {
        return predictor.getAnnotations() == null ? Map.of() : predictor.getAnnotations();
    }

    /** An annotation from {@code spec.annotations}, else the resource's own metadata annotations (Seldon's order). */
    Optional<String> annotation(String key) {
        String value = specAnnotations().get(key);
        if (value == null && sdep.getMetadata().getAnnotations() != null) {
            value = sdep.getMetadata().getAnnotations().get(key);
        }
        return Optional.ofNullable(value);
    }

    /** An integer annotation (see {@link #annotation}); a value that is not an integer is a problem with its path. */
    Optional<Integer> intAnnotation(String key) {
        return annotation(key).map(value -> {
            try {
                return Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                String where = specAnnotations().containsKey(key) ? "spec.annotations." : "metadata.annotations.";
                throw new InvalidManifestException(
                        sdepName(), List.of(Problem.error(where + key, "\"" + value + "\" is not an integer")));
            }
        });
    }

    /** Labels every object of the SeldonDeployment carries. */
    Map<String, String> baseLabels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(SeldonLabels.SELDON_ID, sdepName());
        labels.put(SeldonLabels.MANAGED_BY, SeldonLabels.MANAGED_BY_VALUE);
        return labels;
    }

    /** The replicas Seldon gives a componentSpec: its own, else the predictor's, else the spec's, else 1. */
    int replicas(SeldonPodSpec pod) {
        if (pod != null && pod.getReplicas() != null) {
            return pod.getReplicas();
        }
        if (predictor.getReplicas() != null) {
            return predictor.getReplicas();
        }
        return spec().getReplicas() != null ? spec().getReplicas() : 1;
    }

    /** Owner reference to the SeldonDeployment, when it has a uid (a rendered file has none). */
    Optional<OwnerReference> owner() {
        String uid = sdep.getMetadata().getUid();
        if (uid == null || uid.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new OwnerReferenceBuilder()
                .withApiVersion(SeldonDeployment.GROUP + "/v1")
                .withKind(SeldonDeployment.KIND)
                .withName(sdepName())
                .withUid(uid)
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build());
    }
}
