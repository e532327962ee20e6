package dev.seldonj.controller.reconcile;

import dev.seldonj.api.crd.CrdFile;
import dev.seldonj.api.manifest.Manifests;
import dev.seldonj.api.model.SeldonDeployment;
import dev.seldonj.api.validation.SeldonDeploymentValidator;
import dev.seldonj.controller.app.OperatorRunner;
import dev.seldonj.desired.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** Test helpers for the CRUD mock API server: the generated CRD, manifests, a running operator. */
public final class MockCluster {

    /** Emissary Mappings, for reading them back as generic resources. */
    public static final ResourceDefinitionContext MAPPINGS = new ResourceDefinitionContext.Builder()
            .withGroup("getambassador.io")
            .withVersion("v3alpha1")
            .withKind("Mapping")
            .withPlural("mappings")
            .withNamespaced(true)
            .build();

    private MockCluster() {}

    /** Registers the CRD the api module generates, so the mock gives status-subresource semantics. */
    public static void installCrd(KubernetesClient client) {
        try (InputStream in = CrdFile.class.getClassLoader().getResourceAsStream(CrdFile.GENERATED_RESOURCE)) {
            CustomResourceDefinition crd = client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .load(in)
                    .item();
            client.resource(crd).create();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Registers a schemaless CRD for a third-party kind (Emissary Mapping, Istio, KEDA) so generic
     * informers can discover it, as they do on a cluster with those CRDs installed.
     */
    public static void installForeignCrd(
            KubernetesClient client, String group, String version, String kind, String plural) {
        CustomResourceDefinition crd = new CustomResourceDefinitionBuilder()
                .withNewMetadata()
                .withName(plural + "." + group)
                .endMetadata()
                .withNewSpec()
                .withGroup(group)
                .withScope("Namespaced")
                .withNewNames()
                .withKind(kind)
                .withPlural(plural)
                .withSingular(kind.toLowerCase())
                .endNames()
                .addNewVersion()
                .withName(version)
                .withServed(true)
                .withStorage(true)
                .withNewSchema()
                .withNewOpenAPIV3Schema()
                .withType("object")
                .withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema()
                .endSchema()
                .endVersion()
                .endSpec()
                .build();
        client.resource(crd).create();
    }

    /** A SeldonDeployment from YAML text, valid by the api validator, placed in a namespace. */
    public static SeldonDeployment sdep(String yaml, String namespace) {
        SeldonDeployment sdep = Manifests.read(yaml, "test", SeldonDeploymentValidator.withDefaults());
        sdep.getMetadata().setNamespace(namespace);
        return sdep;
    }

    public static String example(String name) {
        try {
            return Files.readString(repositoryRoot().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        return Files.exists(dir.resolve("api")) ? dir : dir.getParent();
    }

    public static OperatorRunner operator(KubernetesClient client, OperatorConfig config) {
        return new OperatorRunner(client, config, new SimpleMeterRegistry(), Clock.systemUTC(), "default");
    }

    public static <T extends HasMetadata> T get(KubernetesClient client, Class<T> type, String ns, String name) {
        return client.resources(type).inNamespace(ns).withName(name).get();
    }
}
