package dev.seldonj.api.validation;

import java.util.Set;

/**
 * What the validator needs to know beyond the manifest itself.
 *
 * @param prepackagedServers implementations that have an image configured (the keys of the
 *     operator's {@code predictor_servers} configuration); a prepackaged node without its own
 *     container image must name one of them
 */
public record ValidationContext(Set<String> prepackagedServers) {

    /** The servers Seldon's chart configures by default. */
    public static final Set<String> DEFAULT_PREPACKAGED_SERVERS = Set.of(
            "SKLEARN_SERVER",
            "XGBOOST_SERVER",
            "TENSORFLOW_SERVER",
            "MLFLOW_SERVER",
            "TRITON_SERVER",
            "HUGGINGFACE_SERVER",
            "TEMPO_SERVER");

    public static ValidationContext defaults() {
        return new ValidationContext(DEFAULT_PREPACKAGED_SERVERS);
    }

    public ValidationContext {
        prepackagedServers = Set.copyOf(prepackagedServers);
    }
}
