package dev.seldonj.api.model.v1alpha3;

import static dev.seldonj.api.model.SeldonDeployment.GRAPH_DEPTH;
import static dev.seldonj.api.model.SeldonDeployment.GROUP;
import static dev.seldonj.api.model.SeldonDeployment.KIND;
import static dev.seldonj.api.model.SeldonDeployment.PLURAL;

import dev.seldonj.api.model.EmbeddedObject;
import dev.seldonj.api.model.PredictiveUnit;
import dev.seldonj.api.model.SeldonDeploymentSpec;
import dev.seldonj.api.model.SeldonDeploymentStatus;
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

/** machinelearning.seldon.io/v1alpha3: served with the v1 schema, never stored. */
@Group(GROUP)
@Version(value = "v1alpha3", storage = false, served = true)
@Kind(KIND)
@Plural(PLURAL)
@Singular("seldondeployment")
@ShortNames("sdep")
@SchemaSwap(
        originalType = PredictiveUnit.class,
        fieldName = "children",
        targetType = EmbeddedObject[].class,
        depth = GRAPH_DEPTH)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class SeldonDeployment extends CustomResource<SeldonDeploymentSpec, SeldonDeploymentStatus>
        implements Namespaced {}
