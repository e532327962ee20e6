package dev.seldonj.api.validation;

import dev.seldonj.api.graph.Graph;
import dev.seldonj.api.graph.Implementations;
import dev.seldonj.api.model.Parameter;
import dev.seldonj.api.model.PredictiveUnit;
import dev.seldonj.api.model.PredictiveUnitType;
import dev.seldonj.api.model.PredictorSpec;
import dev.seldonj.api.model.Protocol;
import dev.seldonj.api.model.SeldonDeployment;
import dev.seldonj.api.model.SeldonDeploymentSpec;
import dev.seldonj.api.model.SeldonPodSpec;
import dev.seldonj.api.model.ServerType;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Seldon's admission rules (its validating webhook), plus unique node names and typed parameters, on a
 * SeldonDeployment that already passed the schema. Each problem carries the path of the fault.
 */
public final class SemanticValidator {

    public static final String ANNOTATION_NO_ENGINE = "seldon.io/no-engine";
    public static final String ANNOTATION_SVC_NAME = "seldon.io/svc-name";

    private static final Set<String> NOT_FOR_TENSORFLOW_PROTOCOL = Set.of(
            Implementations.SKLEARN_SERVER,
            Implementations.XGBOOST_SERVER,
            Implementations.MLFLOW_SERVER,
            Implementations.HUGGINGFACE_SERVER);
    private static final List<String> KAFKA_ENV = List.of("KAFKA_BROKER", "KAFKA_INPUT_TOPIC", "KAFKA_OUTPUT_TOPIC");
    private static final Pattern DNS_1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private final ValidationContext context;
    /** Only the rules that concern running a graph (an engine's {@code --file}), none about the pods' composition. */
    private final boolean graphOnly;

    public SemanticValidator(ValidationContext context) {
        this(context, false);
    }

    private SemanticValidator(ValidationContext context, boolean graphOnly) {
        this.context = context;
        this.graphOnly = graphOnly;
    }

    /**
     * The rules Seldon's executor needs to run a graph read from {@code --file}: node names, built-in units,
     * parameters, loggers; not the pods' composition (a node may name its endpoint instead of a container,
     * a prepackaged node needs no image nor modelUri, traffic and Kafka settings belong to the operator).
     */
    public static SemanticValidator forGraphs(ValidationContext context) {
        return new SemanticValidator(context, true);
    }

    public List<Problem> validate(SeldonDeployment sdep) {
        List<Problem> problems = new ArrayList<>();
        checkName(sdep, problems);
        SeldonDeploymentSpec spec = sdep.getSpec();
        if (spec == null) {
            problems.add(Problem.error("spec", "required field is missing"));
            return problems;
        }
        List<PredictorSpec> predictors = spec.getPredictors() == null ? List.of() : spec.getPredictors();
        if (predictors.isEmpty()) {
            problems.add(Problem.error("spec.predictors", "at least one predictor is required"));
        }
        if (!graphOnly) {
            checkPredictorNames(predictors, problems);
            checkTraffic(predictors, problems);
        }
        for (int i = 0; i < predictors.size(); i++) {
            checkPredictor(spec, predictors.get(i), "spec.predictors[" + i + "]", problems);
        }
        return problems;
    }

    private static void checkName(SeldonDeployment sdep, List<Problem> problems) {
        String name = sdep.getMetadata() == null ? null : sdep.getMetadata().getName();
        if (name == null || name.isEmpty()) {
            problems.add(Problem.error("metadata.name", "required field is missing"));
        } else if (name.length() > 253 || !DNS_1123_SUBDOMAIN.matcher(name).matches()) {
            problems.add(
                    Problem.error(
                            "metadata.name",
                            "\"" + name
                                    + "\" must be lower-case letters, digits, '-' and '.', starting and ending with a letter or digit"));
        }
    }

    private static void checkPredictorNames(List<PredictorSpec> predictors, List<Problem> problems) {
        Map<String, Integer> names = new HashMap<>();
        Map<String, Integer> svcNames = new HashMap<>();
        for (int i = 0; i < predictors.size(); i++) {
            PredictorSpec p = predictors.get(i);
            Integer first = p.getName() == null ? null : names.putIfAbsent(p.getName(), i);
            if (first != null) {
                problems.add(Problem.error(
                        "spec.predictors[" + i + "].name",
                        "duplicate predictor name '" + p.getName() + "' (also spec.predictors[" + first + "])"));
            }
            String svc = p.getAnnotations() == null ? null : p.getAnnotations().get(ANNOTATION_SVC_NAME);
            Integer firstSvc = svc == null ? null : svcNames.putIfAbsent(svc, i);
            if (firstSvc != null) {
                problems.add(Problem.error(
                        "spec.predictors[" + i + "].annotations." + ANNOTATION_SVC_NAME,
                        "service name '" + svc + "' is already used by spec.predictors[" + firstSvc + "]"));
            }
        }
    }

    private static void checkTraffic(List<PredictorSpec> predictors, List<Problem> problems) {
        int shadows = 0;
        int sum = 0;
        int live = 0;
        for (int i = 0; i < predictors.size(); i++) {
            PredictorSpec p = predictors.get(i);
            int traffic = p.getTraffic() == null ? 0 : p.getTraffic();
            String path = "spec.predictors[" + i + "]";
            if (traffic < 0 || traffic > 100) {
                problems.add(Problem.error(path + ".traffic", traffic + " is not a percentage between 0 and 100"));
            }
            if (Boolean.TRUE.equals(p.getShadow())) {
                shadows++;
                if (predictors.size() == 1) {
                    problems.add(Problem.error(path + ".shadow", "a shadow cannot be the only predictor"));
                }
                if (shadows > 1) {
                    problems.add(Problem.error(path + ".shadow", "at most one predictor can be a shadow"));
                }
            } else {
                live++;
                sum += traffic;
            }
        }
        if (live > 1 && sum != 100) {
            problems.add(Problem.error(
                    "spec.predictors", "traffic of the predictors that are not shadows sums to " + sum + ", not 100"));
        }
        if (live == 1) {
            for (int i = 0; i < predictors.size(); i++) {
                PredictorSpec p = predictors.get(i);
                int traffic = p.getTraffic() == null ? 0 : p.getTraffic();
                if (!Boolean.TRUE.equals(p.getShadow()) && traffic > 0 && traffic < 100) {
                    problems.add(Problem.error(
                            "spec.predictors[" + i + "].traffic",
                            "the only predictor that is not a shadow takes all traffic: use 100 or leave it unset, not "
                                    + traffic));
                }
            }
        }
    }

    private void checkPredictor(SeldonDeploymentSpec spec, PredictorSpec p, String path, List<Problem> problems) {
        if (spec.getServerType() == ServerType.KAFKA && !graphOnly) {
            Set<String> env = new HashSet<>();
            if (p.getSvcOrchSpec() != null && p.getSvcOrchSpec().getEnv() != null) {
                p.getSvcOrchSpec().getEnv().stream().map(EnvVar::getName).forEach(env::add);
            }
            for (String required : KAFKA_ENV) {
                if (!env.contains(required)) {
                    problems.add(Problem.error(path + ".svcOrchSpec.env", "serverType kafka needs env " + required));
                }
            }
        }
        PredictiveUnit graph = p.getGraph();
        if (graph == null) {
            return;
        }
        if (!graphOnly
                && p.getAnnotations() != null
                && "true".equals(p.getAnnotations().get(ANNOTATION_NO_ENGINE))
                && !Graph.children(graph).isEmpty()) {
            problems.add(Problem.error(
                    path + ".annotations." + ANNOTATION_NO_ENGINE,
                    "only a graph with a single node can run without the engine"));
        }
        Map<String, Container> containers = containers(p);
        Map<String, String> seen = new HashMap<>();
        Graph.walk(graph, path + ".graph", (nodePath, unit) -> {
            String previous = unit.getName() == null ? null : seen.putIfAbsent(unit.getName(), nodePath);
            if (previous != null) {
                problems.add(Problem.error(
                        nodePath + ".name", "duplicate node name '" + unit.getName() + "' (also " + previous + ")"));
            }
            checkUnit(spec, unit, nodePath, containers, problems);
        });
    }

    private void checkUnit(
            SeldonDeploymentSpec spec,
            PredictiveUnit unit,
            String path,
            Map<String, Container> containers,
            List<Problem> problems) {
        String impl = unit.getImplementation();
        Container container = containers.get(unit.getName());
        if (Implementations.isNone(impl)) {
            if (container == null && !graphOnly) {
                problems.add(Problem.error(path, "no container named '" + unit.getName() + "' in componentSpecs"));
            } else if (container == null && !hasAddress(unit)) {
                problems.add(Problem.error(
                        path,
                        "no container named '" + unit.getName() + "' in componentSpecs and no "
                                + "endpoint (service_host, service_port, httpPort or grpcPort) to call it at"));
            }
            if (unit.getType() == PredictiveUnitType.UNKNOWN_TYPE
                    && (unit.getMethods() == null || unit.getMethods().isEmpty())) {
                problems.add(Problem.error(path + ".methods", "a node of type UNKNOWN_TYPE must list its methods"));
            }
        } else if (Implementations.isPrepackaged(impl) && !graphOnly) {
            if ((unit.getModelUri() == null || unit.getModelUri().isEmpty())
                    && !Implementations.HUGGINGFACE_SERVER.equals(impl)) {
                problems.add(Problem.error(path + ".modelUri", impl + " needs a modelUri"));
            }
            if (spec.getProtocol() == Protocol.TENSORFLOW && NOT_FOR_TENSORFLOW_PROTOCOL.contains(impl)) {
                problems.add(Problem.error(path + ".implementation", impl + " does not serve the tensorflow protocol"));
            }
            boolean hasImage = container != null
                    && container.getImage() != null
                    && !container.getImage().isEmpty();
            if (!hasImage && !context.prepackagedServers().contains(impl)) {
                problems.add(Problem.error(
                        path + ".implementation",
                        "'" + impl
                                + "' is not a configured prepackaged server ("
                                + String.join(
                                        ", ",
                                        context.prepackagedServers().stream()
                                                .sorted()
                                                .toList())
                                + ") and no container image is given for it"));
            }
        } else {
            checkBuiltIn(unit, path, problems);
        }
        if (unit.getLogger() != null && unit.getLogger().getMode() == null) {
            problems.add(Problem.error(path + ".logger.mode", "a logger needs a mode: all, request or response"));
        }
        List<Parameter> parameters = unit.getParameters() == null ? List.of() : unit.getParameters();
        for (int i = 0; i < parameters.size(); i++) {
            Parameter param = parameters.get(i);
            String error = Parameters.typeError(param);
            if (error != null) {
                problems.add(Problem.error(path + ".parameters[" + i + "].value", error));
            }
        }
    }

    private static boolean hasAddress(PredictiveUnit unit) {
        var e = unit.getEndpoint();
        return e != null
                && ((e.getServiceHost() != null && !e.getServiceHost().isEmpty())
                        || e.getServicePort() != null
                        || e.getHttpPort() != null
                        || e.getGrpcPort() != null);
    }

    private static void checkBuiltIn(PredictiveUnit unit, String path, List<Problem> problems) {
        int children = Graph.children(unit).size();
        switch (unit.getImplementation()) {
            case Implementations.RANDOM_ABTEST -> {
                if (children != 2) {
                    problems.add(Problem.error(
                            path + ".children", "RANDOM_ABTEST routes between exactly 2 children, not " + children));
                }
                Double ratio = Parameters.doubleValue(unit, "ratioA");
                if (ratio != null && (ratio < 0 || ratio > 1)) {
                    problems.add(Problem.error(path + ".parameters", "ratioA must be between 0 and 1, not " + ratio));
                }
            }
            case Implementations.EPSILON_GREEDY, Implementations.THOMPSON_SAMPLING -> {
                if (children < 2) {
                    problems.add(Problem.error(
                            path + ".children",
                            unit.getImplementation() + " routes between 2 or more children, not " + children));
                }
                Double branches = Parameters.doubleValue(unit, "n_branches");
                if (branches != null && branches.intValue() != children) {
                    problems.add(Problem.error(
                            path + ".parameters",
                            "n_branches is " + branches.intValue() + " but the node has " + children + " children"));
                }
                Double epsilon = Parameters.doubleValue(unit, "epsilon");
                if (epsilon != null && (epsilon < 0 || epsilon > 1)) {
                    problems.add(
                            Problem.error(path + ".parameters", "epsilon must be between 0 and 1, not " + epsilon));
                }
            }
            case Implementations.AVERAGE_COMBINER -> {
                if (children == 0) {
                    problems.add(Problem.error(path + ".children", "AVERAGE_COMBINER needs children to average"));
                }
            }
            default -> {
                // SIMPLE_MODEL and SIMPLE_ROUTER take no settings.
            }
        }
    }

    /** Containers of a predictor's pods by name. */
    private static Map<String, Container> containers(PredictorSpec p) {
        Map<String, Container> byName = new HashMap<>();
        if (p.getComponentSpecs() != null) {
            for (SeldonPodSpec pod : p.getComponentSpecs()) {
                if (pod != null && pod.getSpec() != null && pod.getSpec().getContainers() != null) {
                    for (Container c : pod.getSpec().getContainers()) {
                        byName.putIfAbsent(c.getName(), c);
                    }
                }
            }
        }
        return byName;
    }
}
