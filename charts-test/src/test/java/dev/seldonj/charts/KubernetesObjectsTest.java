package dev.seldonj.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seldonj.api.manifest.Manifests;
import org.junit.jupiter.api.Test;

/** The unknown-field check the chart tests rely on finds what a typed read swallows. */
class KubernetesObjectsTest {

    @Test
    void reportsFieldsTheTypedModelDoesNotKnowWithTheirPath() {
        var deployment = Manifests.documents("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: d, labelz: {a: b}}
        spec:
          selector: {matchLabels: {a: b}}
          template:
            metadata: {labels: {a: b}}
            spec:
              serviceAcount: x
              containers:
                - {name: c, image: i, resources: {requests: {cpu: 100m}}, securityContext: {readOnlyRootFs: true}}
        """, "test").get(0);
        assertThat(KubernetesObjects.unknownFields(deployment))
                .containsExactlyInAnyOrder(
                        ".metadata: [labelz]",
                        ".spec.template.spec: [serviceAcount]",
                        ".spec.template.spec.containers[0].securityContext: [readOnlyRootFs]");
    }

    @Test
    void aWellFormedObjectHasNone() {
        var service = Manifests.documents("""
        apiVersion: v1
        kind: Service
        metadata: {name: s}
        spec: {ports: [{port: 443, targetPort: https}], selector: {a: b}}
        """, "test").get(0);
        assertThat(KubernetesObjects.unknownFields(service)).isEmpty();
    }

    @Test
    void aKindWithoutATypedModelFails() {
        var unknown = Manifests.documents("{apiVersion: example.com/v1, kind: Widget, metadata: {name: w}}", "test")
                .get(0);
        assertThatThrownBy(() -> KubernetesObjects.unknownFields(unknown))
                .hasMessageContaining("no typed model for Widget");
    }
}
