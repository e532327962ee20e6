package dev.seldonj.e2e.cluster;

/** The SeldonDeployments the real-cluster tests write, as the YAML a user would apply. */
final class Sdeps {

    static final String MOCK_CLASSIFIER = "seldonj/mock-classifier:0.1.0";

    private Sdeps() {}

    /**
     * One model, named {@code classifier}, with the given metadata labels, predictor fields (e.g.
     * {@code replicas: 0} for no processes) and pod spec fields (e.g. a toleration), each a YAML flow
     * mapping's inner text or "".
     */
    static String model(String name, String labels, String predictor, String podSpec, String image) {
        return """
        apiVersion: machinelearning.seldon.io/v1
        kind: SeldonDeployment
        metadata: {name: %s, labels: {%s}}
        spec:
          predictors:
          - {name: default, graph: {name: classifier, type: MODEL}, %s
             componentSpecs: [{spec: {%s containers: [{name: classifier, image: %s}]}}]}
        """.formatted(
                        name,
                        labels,
                        predictor.isEmpty() ? "" : predictor + ",",
                        podSpec.isEmpty() ? "" : podSpec + ",",
                        image);
    }

    /** The mock classifier with no replicas: enough to see what a controller renders, without processes. */
    static String withoutReplicas(String name, String labels) {
        return model(name, labels, "replicas: 0", "", MOCK_CLASSIFIER);
    }

    /** Invalid: the graph names a container that componentSpecs does not have. */
    static String invalid(String name) {
        return model(name, "", "", "", MOCK_CLASSIFIER)
                .replace("containers: [{name: classifier", "containers: [{name: other");
    }
}
