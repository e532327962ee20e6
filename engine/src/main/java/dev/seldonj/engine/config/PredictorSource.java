package dev.seldonj.engine.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seldonj.api.defaults.Defaulter;
import dev.seldonj.api.defaults.DefaultingConfig;
import dev.seldonj.api.manifest.Manifests;
import dev.seldonj.api.mapping.LazyKubernetesTypes;
import dev.seldonj.api.model.PredictorSpec;
import dev.seldonj.api.model.SeldonDeployment;
import dev.seldonj.api.validation.InvalidManifestException;
import dev.seldonj.api.validation.Problem;
import dev.seldonj.api.validation.SeldonDeploymentValidator;
import dev.seldonj.api.validation.SemanticValidator;
import dev.seldonj.api.validation.ValidationContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where the graph comes from: a SeldonDeployment file ({@code --file}) or {@code ENGINE_PREDICTOR}. */
public final class PredictorSource {

    /**
     * The predictor to run and the deployment-level settings that travel with it.
     *
     * @param annotations the deployment's and predictor's annotations (empty for ENGINE_PREDICTOR:
     *     those reach the engine through the pod annotations file)
     */
    public record Loaded(
            String deploymentName,
            String namespace,
            PredictorSpec predictor,
            Map<String, String> annotations,
            EngineConfig config) {}

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .registerModule(LazyKubernetesTypes.module());

    private PredictorSource() {}

    /**
     * Reads a small graph with a pod spec the way the real one will be read, so that what is slow the
     * first time (Jackson building its deserializers and serializers, the validator, the defaulter) is
     * done before: with the SeldonDeployment reader when {@code fileReader} ({@code --file}), else with
     * the ENGINE_PREDICTOR one (each mapper builds its own).
     */
    public static void warmUp(boolean fileReader) {
        try {
            if (fileReader) {
                warmUpFileReader();
            } else {
                warmUpEnvReader();
            }
        } catch (Exception e) {
            // Only a warm-up: the real read reports any problem.
        }
    }

    static SeldonDeployment warmUpFileReader() {
        return new Defaulter(DefaultingConfig.defaults()).apply(readLenient("""
        {"apiVersion": "machinelearning.seldon.io/v1", "kind": "SeldonDeployment", "metadata": {"name": "w"},
         "spec": {"predictors": [{"name": "p", "graph": {"name": "m", "type": "MODEL", "children": []},
           "componentSpecs": [{"spec": {"containers": [{"name": "m", "image": "m"}]}}]}]}}""", "warm-up"));
    }

    static PredictorSpec warmUpEnvReader() throws IOException {
        return JSON.readValue("""
        {"name": "p", "graph": {"name": "m"}, "componentSpecs": [{"spec": {"containers": [{"name": "m"}]}}]}""", PredictorSpec.class);
    }

    /** The predictor the settings point at: {@code --file}, else {@code ENGINE_PREDICTOR} ({@code engine.predictor-spec}). */
    public static Loaded load(EngineSettings settings, EngineConfig config) {
        if (config.file() != null) {
            return fromFile(config.file(), config, settings.isStrict());
        }
        String spec = settings.getPredictorSpec();
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("no graph: pass --file <SeldonDeployment file> or set ENGINE_PREDICTOR");
        }
        return fromEnv(spec, config);
    }

    /**
     * Reads a SeldonDeployment file (any apiVersion), validates and defaults it, and picks the predictor.
     * As Seldon's executor reads it: the endpoints it names are kept (defaulting fills in only what is
     * missing), and only the rules about running the graph apply, not those about the pods' composition.
     * Validation is typed binding plus those rules; the full JSON-schema check is
     * {@code strict} only, because compiling the CRD schema costs seconds of start-up.
     */
    public static Loaded fromFile(Path file, EngineConfig config, boolean strict) {
        SeldonDeployment sdep = strict
                ? Manifests.read(
                        file, new SeldonDeploymentValidator(SemanticValidator.forGraphs(ValidationContext.defaults())))
                : readLenient(Manifests.readFile(file), file.toString());
        return fromDefaulted(
                ExplicitEndpoints.of(sdep).restore(new Defaulter(DefaultingConfig.defaults()).apply(sdep)), config);
    }

    /**
     * The predictor of a SeldonDeployment whose endpoints are already set (by the operator's defaulting,
     * or explicitly, as compat's {@code LocalGraphs} does for components running on this machine): no
     * defaulting, so explicit hosts and ports are kept.
     */
    public static Loaded fromDefaulted(SeldonDeployment defaulted, EngineConfig config) {
        String source = defaulted.getMetadata() == null
                ? "SeldonDeployment"
                : defaulted.getMetadata().getName();
        List<PredictorSpec> predictors = defaulted.getSpec().getPredictors();
        PredictorSpec chosen = null;
        if (config.predictorName() == null || config.predictorName().isEmpty()) {
            chosen = predictors.get(0);
        } else {
            for (PredictorSpec p : predictors) {
                if (config.predictorName().equals(p.getName())) {
                    chosen = p;
                }
            }
            if (chosen == null) {
                throw new IllegalArgumentException(source + ": no predictor named '" + config.predictorName()
                        + "' (found "
                        + predictors.stream().map(PredictorSpec::getName).toList() + ")");
            }
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        if (defaulted.getSpec().getAnnotations() != null) {
            annotations.putAll(defaulted.getSpec().getAnnotations());
        }
        if (chosen.getAnnotations() != null) {
            annotations.putAll(chosen.getAnnotations());
        }
        String name =
                config.deploymentName().isEmpty() ? defaulted.getMetadata().getName() : config.deploymentName();
        String namespace = defaulted.getMetadata().getNamespace() == null
                ? config.namespace()
                : defaulted.getMetadata().getNamespace();
        EngineConfig withSpec = new EngineConfig(
                name,
                namespace,
                chosen.getName(),
                config.file(),
                config.httpPort(),
                config.grpcPort(),
                defaulted.getSpec().getProtocol() != null ? defaulted.getSpec().getProtocol() : config.protocol(),
                defaulted.getSpec().getTransport() != null ? defaulted.getSpec().getTransport() : config.transport(),
                config.prometheusPath(),
                config.annotationsPath(),
                config.restTimeoutMs(),
                config.grpcTimeoutMs(),
                config.grpcMaxMessageBytes(),
                config.maxBodyBytes(),
                config.connectTimeoutMs(),
                config.eventLoopThreads(),
                config.formEncodedNodes(),
                config.cors(),
                config.payloadLogger(),
                config.limits());
        return new Loaded(name, namespace, chosen, annotations, withSpec);
    }

    private static SeldonDeployment readLenient(String text, String source) {
        List<JsonNode> sdeps = Manifests.documents(text, source).stream()
                .filter(d -> SeldonDeployment.KIND.equals(d.path("kind").asText()))
                .toList();
        if (sdeps.size() != 1) {
            throw new InvalidManifestException(
                    source, List.of(Problem.error("", "expected one SeldonDeployment, found " + sdeps.size())));
        }
        JsonNode doc = sdeps.get(0);
        String apiVersion = doc.path("apiVersion").asText("");
        if (!SeldonDeploymentValidator.API_VERSIONS.contains(apiVersion)) {
            throw new InvalidManifestException(
                    source,
                    List.of(Problem.error(
                            "apiVersion",
                            "\"" + apiVersion + "\": expected one of "
                                    + SeldonDeploymentValidator.API_VERSIONS.stream()
                                            .sorted()
                                            .toList())));
        }
        SeldonDeployment sdep;
        try {
            sdep = Manifests.bind(doc);
        } catch (IllegalArgumentException e) {
            throw new InvalidManifestException(source, List.of(Problem.error("", "cannot be read: " + e.getMessage())));
        }
        List<Problem> errors = SemanticValidator.forGraphs(ValidationContext.defaults()).validate(sdep).stream()
                .filter(Problem::isError)
                .toList();
        if (!errors.isEmpty()) {
            throw new InvalidManifestException(source, errors);
        }
        return sdep;
    }

    /** Decodes {@code ENGINE_PREDICTOR}: base64 JSON of a PredictorSpec the operator already defaulted. */
    public static Loaded fromEnv(String base64, EngineConfig config) {
        String json;
        try {
            json = new String(Base64.getDecoder().decode(base64.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ENGINE_PREDICTOR is not valid base64: " + e.getMessage());
        }
        PredictorSpec predictor;
        try {
            predictor = JSON.readValue(json, PredictorSpec.class);
        } catch (Exception e) {
            throw new IllegalArgumentException("ENGINE_PREDICTOR is not a PredictorSpec JSON: " + e.getMessage());
        }
        if (predictor.getGraph() == null) {
            throw new IllegalArgumentException("ENGINE_PREDICTOR: the PredictorSpec has no graph");
        }
        return new Loaded(config.deploymentName(), config.namespace(), predictor, Map.of(), config);
    }
}
