package dev.seldonj.controller.testing;

/** Small SeldonDeployment texts the tests share. */
public final class Manifests {

    private Manifests() {}

    /**
     * One predictor {@code p} running one model container {@code m}; {@code specExtra} and
     * {@code predictorExtra} are YAML lines (already indented) added to the spec and the predictor.
     */
    public static String singleModel(String name, String specExtra, String predictorExtra) {
        return """
        apiVersion: machinelearning.seldon.io/v1
        kind: SeldonDeployment
        metadata: {name: NAME}
        spec:
        SPEC  predictors:
          - name: p
        PREDICTOR    componentSpecs:
            - spec:
                containers: [{name: m, image: example/m:1}]
            graph: {name: m, type: MODEL}
        """.replace("NAME", name).replace("SPEC", specExtra).replace("PREDICTOR", predictorExtra);
    }
}
