package dev.seldonj.api.schema;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Never installed: a carrier that makes the crd-generator write, at build time, the full OpenAPI
 * schemas of the Kubernetes types a SeldonDeployment embeds. The shipped CRD leaves those fields open
 * to stay small; {@link dev.seldonj.api.validation.SchemaValidator} puts these schemas back so that a
 * manifest is still checked field by field.
 */
@Group(EmbeddedTypes.GROUP)
@Version("v1")
@Kind("EmbeddedTypes")
@Plural("embeddedtypes")
public class EmbeddedTypes extends CustomResource<EmbeddedTypes.Types, Void> implements Namespaced {

    public static final String GROUP = "schema.seldonj.dev";
    public static final String GENERATED_RESOURCE = "META-INF/fabric8/embeddedtypes." + GROUP + "-v1.yml";

    /** One field per embedded type; the field name is the key the validator looks up. */
    public static class Types {
        public ObjectMeta objectMeta;
        public PodSpec podSpec;
        public Container container;
        public io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec metricV2;
        public io.fabric8.kubernetes.api.model.autoscaling.v2beta1.MetricSpec metricV2beta1;
    }
}
