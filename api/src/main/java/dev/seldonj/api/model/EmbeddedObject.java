package dev.seldonj.api.model;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/**
 * Schema stand-in for embedded Kubernetes types (PodSpec, ObjectMeta, Container...). Their full
 * OpenAPI schema, repeated for three served versions, would push the CRD past the 256 KiB that
 * client-side apply and Argo CD can store; the validator checks these fields against their typed
 * fabric8 models instead.
 */
@PreserveUnknownFields
public final class EmbeddedObject {
    private EmbeddedObject() {}
}
