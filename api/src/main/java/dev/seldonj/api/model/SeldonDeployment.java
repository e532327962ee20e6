package dev.seldonj.api.model;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.SchemaSwap;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A SeldonDeployment, served and stored as machinelearning.seldon.io/v1. */
@Group(SeldonDeployment.GROUP)
@Version(value = "v1", storage = true, served = true)
@Kind(SeldonDeployment.KIND)
@Plural(SeldonDeployment.PLURAL)
@Singular("seldondeployment")
@ShortNames("sdep")
@SchemaSwap(
        originalType = PredictiveUnit.class,
        fieldName = "children",
        targetType = EmbeddedObject[].class,
        depth = SeldonDeployment.GRAPH_DEPTH)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class SeldonDeployment extends CustomResource<SeldonDeploymentSpec, SeldonDeploymentStatus>
        implements Namespaced {

    public static final String GROUP = "machinelearning.seldon.io";
    public static final String KIND = "SeldonDeployment";
    public static final String PLURAL = "seldondeployments";
    public static final String CRD_NAME = PLURAL + "." + GROUP;
    /** Levels of graph children the CRD schema describes (Seldon's CRD unrolled 10). */
    public static final int GRAPH_DEPTH = 10;
}
