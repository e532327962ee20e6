package dev.seldonj.node.cluster;

import dev.seldonj.node.pod.PodApi;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;

/** Pod status patches and the final delete, through the API server. */
public final class ClusterPodApi implements PodApi {

    private final KubernetesClient client;

    public ClusterPodApi(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public boolean patchStatus(Pod pod, PodStatus status) {
        // The uid in the patch is a precondition: a pod re-created under the same name is not touched.
        String patch = client.getKubernetesSerialization()
                .asJson(Map.of(
                        "metadata", Map.of("uid", pod.getMetadata().getUid()),
                        "status",
                                StatusPatch.of(
                                        client.getKubernetesSerialization().convertValue(status, Map.class))));
        try {
            client.pods()
                    .inNamespace(pod.getMetadata().getNamespace())
                    .withName(pod.getMetadata().getName())
                    .subresource("status")
                    .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch);
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404 || e.getCode() == 409) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void deleteFinally(Pod pod) {
        var meta = pod.getMetadata();
        String url = client.getMasterUrl().toString().replaceAll("/$", "") + "/api/v1/namespaces/" + meta.getNamespace()
                + "/pods/" + meta.getName();
        Map<String, Object> options = Map.of(
                "kind",
                "DeleteOptions",
                "apiVersion",
                "v1",
                "gracePeriodSeconds",
                0,
                "preconditions",
                Map.of("uid", meta.getUid()));
        try {
            client.raw(url, "DELETE", options);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404 && e.getCode() != 409) {
                throw e;
            }
        }
    }
}
