package dev.seldonj.api.graph;

import java.util.Set;

/** What a node's {@code implementation} names: nothing, a built-in, or a prepackaged server. */
public final class Implementations {

    public static final String UNKNOWN_IMPLEMENTATION = "UNKNOWN_IMPLEMENTATION";
    public static final String SIMPLE_MODEL = "SIMPLE_MODEL";
    public static final String SIMPLE_ROUTER = "SIMPLE_ROUTER";
    public static final String RANDOM_ABTEST = "RANDOM_ABTEST";
    public static final String AVERAGE_COMBINER = "AVERAGE_COMBINER";
    /** Beyond Seldon: bandit routers that learn from feedback rewards, run inside the engine. */
    public static final String EPSILON_GREEDY = "EPSILON_GREEDY";

    public static final String THOMPSON_SAMPLING = "THOMPSON_SAMPLING";

    /** Implementations the engine runs itself, with no container. */
    public static final Set<String> BUILT_INS =
            Set.of(SIMPLE_MODEL, SIMPLE_ROUTER, RANDOM_ABTEST, AVERAGE_COMBINER, EPSILON_GREEDY, THOMPSON_SAMPLING);

    public static final String SKLEARN_SERVER = "SKLEARN_SERVER";
    public static final String XGBOOST_SERVER = "XGBOOST_SERVER";
    public static final String TENSORFLOW_SERVER = "TENSORFLOW_SERVER";
    public static final String MLFLOW_SERVER = "MLFLOW_SERVER";
    public static final String TRITON_SERVER = "TRITON_SERVER";
    public static final String HUGGINGFACE_SERVER = "HUGGINGFACE_SERVER";
    public static final String TEMPO_SERVER = "TEMPO_SERVER";

    private Implementations() {}

    /** No implementation: the node is served by the container of the same name. */
    public static boolean isNone(String implementation) {
        return implementation == null || implementation.isEmpty() || UNKNOWN_IMPLEMENTATION.equals(implementation);
    }

    public static boolean isBuiltIn(String implementation) {
        return implementation != null && BUILT_INS.contains(implementation);
    }

    /** As in Seldon, any other implementation names a prepackaged model server. */
    public static boolean isPrepackaged(String implementation) {
        return !isNone(implementation) && !isBuiltIn(implementation);
    }
}
