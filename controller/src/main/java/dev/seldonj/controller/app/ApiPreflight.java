package dev.seldonj.controller.app;

import dev.seldonj.api.model.SeldonDeployment;
import dev.seldonj.controller.reconcile.ManagedKind;
import dev.seldonj.desired.SeldonLabels;
import dev.seldonj.desired.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import java.util.ArrayList;
import java.util.List;

/**
 * One list request (limit 1) per kind and namespace the informers will watch, made before they start.
 * Informers that cannot list end the start with a wrapped exception from deep inside the SDK; these
 * requests fail the same way, earlier, and are turned into one line naming the API server, what was
 * asked and why it was refused: unreachable, credentials rejected (401), RBAC (403), or a CRD that is
 * not installed (404). Discovery and a few lists cost the API server next to nothing.
 */
final class ApiPreflight {

    private static final ListOptions ONE =
            new ListOptionsBuilder().withLimit(1L).build();
    private static final String MANAGED = SeldonLabels.MANAGED_BY + "=" + SeldonLabels.MANAGED_BY_VALUE;

    private ApiPreflight() {}

    static void check(KubernetesClient client, OperatorConfig config, String controllerIdSelector) {
        String server = client.getMasterUrl().toString();
        List<String> namespaces = config.watchNamespaces().isEmpty() ? singletonNull() : config.watchNamespaces();
        // First the SeldonDeployments: reachability, credentials and the CRD in one request.
        for (String ns : namespaces) {
            list(
                    server,
                    "machinelearning.seldon.io/v1 SeldonDeployments",
                    ns,
                    "is the SeldonDeployment CRD installed (the operator chart installs it)?",
                    () -> listOne(client.resources(SeldonDeployment.class), ns, controllerIdSelector));
        }
        for (ManagedKind kind : ManagedKind.enabled(config)) {
            if (kind.generic()) {
                requireServed(client, server, kind);
            }
            for (String ns : namespaces) {
                list(
                        server,
                        kind.apiVersion() + " " + kind.kind() + "s",
                        ns,
                        featureHint(kind),
                        () -> listOne(
                                kind.generic()
                                        ? client.genericKubernetesResources(kind.apiVersion(), kind.kind())
                                        : client.resources(kind.type()),
                                ns,
                                MANAGED));
            }
        }
    }

    private static void requireServed(KubernetesClient client, String server, ManagedKind kind) {
        APIResourceList resources;
        try {
            resources = client.getApiResources(kind.apiVersion());
        } catch (KubernetesClientException e) {
            throw refused(server, "discovering " + kind.apiVersion(), null, e, featureHint(kind));
        }
        if (resources == null
                || resources.getResources().stream().noneMatch(r -> kind.kind().equals(r.getKind()))) {
            throw new StartupFailure("the Kubernetes API server at " + server + " does not serve " + kind.apiVersion()
                    + " " + kind.kind() + ": " + featureHint(kind));
        }
    }

    private static void list(String server, String what, String ns, String notFoundHint, Runnable request) {
        try {
            request.run();
        } catch (KubernetesClientException e) {
            throw refused(server, "listing " + what, ns, e, notFoundHint);
        }
    }

    private static StartupFailure refused(
            String server, String action, String ns, KubernetesClientException e, String notFoundHint) {
        String where = ns == null ? "" : " in namespace " + ns;
        if (e.getCode() <= 0) {
            return new StartupFailure("cannot reach the Kubernetes API server at " + server + " (" + action + where
                    + "): "
                    + StartupErrors.apiStatus(e) + "; is it running, and is the server address of the kubeconfig "
                    + "(or KUBERNETES_MASTER) right?");
        }
        String hint = switch (e.getCode()) {
            case 401 -> "the credentials (kubeconfig user, or the pod's service account token) were not accepted";
            case 403 ->
                "the controller's RBAC rules must allow get, list and watch on it (operator chart: rbac.create)";
            case 404 -> notFoundHint;
            default -> null;
        };
        return new StartupFailure("the Kubernetes API server at " + server + " refused " + action + where + ": "
                + StartupErrors.apiStatus(e) + (hint == null ? "" : "; " + hint));
    }

    private static String featureHint(ManagedKind kind) {
        return switch (kind.apiVersion().split("/")[0]) {
            case "getambassador.io" -> "install Emissary's CRDs, or set ambassador.enabled: false";
            case "networking.istio.io" -> "install Istio's CRDs, or set istio.enabled: false";
            case "keda.sh" -> "install KEDA's CRDs, or set keda.enabled: false";
            default -> "the API server does not serve it";
        };
    }

    private static void listOne(MixedOperation<? extends HasMetadata, ?, ?> operation, String ns, String selector) {
        if (ns == null) {
            operation.inAnyNamespace().withLabelSelector(selector).list(ONE);
        } else {
            operation.inNamespace(ns).withLabelSelector(selector).list(ONE);
        }
    }

    private static List<String> singletonNull() {
        List<String> all = new ArrayList<>();
        all.add(null);
        return all;
    }
}
