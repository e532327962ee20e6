package dev.seldonj.desired;

import dev.seldonj.api.defaults.Defaulter;
import dev.seldonj.api.model.PredictiveUnit;
import dev.seldonj.api.model.PredictiveUnitMethod;
import dev.seldonj.api.model.PredictiveUnitType;
import dev.seldonj.api.validation.SemanticValidator;
import java.util.List;
import java.util.Optional;

/** Label and annotation names Seldon's operator uses, so dashboards and scripts carry over. */
public final class SeldonLabels {

    public static final String SELDON_ID = "seldon-deployment-id";
    public static final String SELDON_APP = "seldon-app";
    public static final String SELDON_APP_SVC_PREFIX = "seldon-app-svc-";
    public static final String APP = "app";
    public static final String FLUENTD = "fluentd";
    public static final String CONTAINS_SVCORCH = "seldon-deployment-contains-svcorch";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "seldon-core";
    public static final String CONTROLLER_ID = "seldon.io/controller-id";

    public static final String ROLE_MODEL = "seldon.io/model";
    public static final String ROLE_ROUTER = "seldon.io/router";
    public static final String ROLE_COMBINER = "seldon.io/combiner";
    public static final String ROLE_TRANSFORMER = "seldon.io/transformer";
    public static final String ROLE_OUTPUT_TRANSFORMER = "seldon.io/output-transformer";
    public static final String ROLE_SHADOW = "seldon.io/shadow";

    public static final String ANNOTATION_NO_ENGINE = SemanticValidator.ANNOTATION_NO_ENGINE;
    public static final String ANNOTATION_SVC_NAME = SemanticValidator.ANNOTATION_SVC_NAME;
    public static final String ANNOTATION_HEADLESS_SVC = "seldon.io/headless-svc";
    public static final String ANNOTATION_ENGINE_SEPARATE_POD = Defaulter.ANNOTATION_ENGINE_SEPARATE_POD;
    public static final String ANNOTATION_ENGINE_ENV_PREFIX = "seldon.io/engine-";
    public static final String ANNOTATION_NO_STORAGE_INITIALIZER = "seldon.io/no-storage-initializer";
    public static final String ANNOTATION_PROMETHEUS_PATH = "prometheus.io/path";
    public static final String ANNOTATION_PROMETHEUS_SCRAPE = "prometheus.io/scrape";

    private SeldonLabels() {}

    /** The role label of a graph node ({@code seldon.io/model} etc.), if its type or methods give one. */
    public static Optional<String> role(PredictiveUnit unit) {
        PredictiveUnitType type = unit.getType();
        List<PredictiveUnitMethod> methods = unit.getMethods() == null ? List.of() : unit.getMethods();
        if (type == PredictiveUnitType.MODEL) {
            return Optional.of(ROLE_MODEL);
        } else if (type == PredictiveUnitType.ROUTER || methods.contains(PredictiveUnitMethod.ROUTE)) {
            return Optional.of(ROLE_ROUTER);
        } else if (type == PredictiveUnitType.COMBINER || methods.contains(PredictiveUnitMethod.AGGREGATE)) {
            return Optional.of(ROLE_COMBINER);
        } else if (type == PredictiveUnitType.TRANSFORMER || methods.contains(PredictiveUnitMethod.TRANSFORM_INPUT)) {
            return Optional.of(ROLE_TRANSFORMER);
        } else if (type == PredictiveUnitType.OUTPUT_TRANSFORMER
                || methods.contains(PredictiveUnitMethod.TRANSFORM_OUTPUT)) {
            return Optional.of(ROLE_OUTPUT_TRANSFORMER);
        }
        return Optional.empty();
    }
}
