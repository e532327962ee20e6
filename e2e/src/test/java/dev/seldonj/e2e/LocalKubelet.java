package dev.seldonj.e2e;

import dev.seldonj.local.LocalRunner;
import dev.seldonj.local.RunOptions;
import dev.seldonj.local.RunningDeployment;
import dev.seldonj.local.plan.RunPlan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Plays the nodes of a cluster for one namespace: runs the pods of its Deployments with the local
 * runner (behind the gateway its Services and Mappings describe), reports them ready in each
 * Deployment's status once they are, as the kubelet and the Deployment controller would, and stops
 * them when a Deployment is deleted.
 */
final class LocalKubelet implements AutoCloseable {

  private final RunningDeployment running;
  private final Watch watch;
  private final CompletableFuture<String> stopped = new CompletableFuture<>();

  private LocalKubelet(KubernetesClient client, String namespace, RunningDeployment running) {
    this.running = running;
    this.watch = client.apps().deployments().inNamespace(namespace).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Deployment deployment) {
        if (action == Action.DELETED) {
          running.close();
          stopped.complete(deployment.getMetadata().getName());
        }
      }

      @Override
      public void onClose(WatcherException cause) {
        // The watch ends with the test; a broken watch shows as a runner that never stops.
      }
    });
  }

  /** Reads the namespace's Deployments, Services and Mappings from the API server and runs them; returns once every container is ready. */
  static LocalKubelet start(KubernetesClient client, String namespace, RunOptions options) {
    List<Deployment> deployments = client.apps().deployments().inNamespace(namespace).list().getItems();
    List<HasMetadata> objects = new ArrayList<>(deployments);
    objects.addAll(client.services().inNamespace(namespace).list().getItems());
    objects.addAll(MockCluster.mappings(client, namespace));
    RunningDeployment running = LocalRunner.start(RunPlan.of(objects, namespace), options);
    LocalKubelet kubelet = new LocalKubelet(client, namespace, running);
    for (Deployment deployment : deployments) {
      reportReady(client, namespace, deployment.getMetadata().getName());
    }
    return kubelet;
  }

  RunningDeployment running() {
    return running;
  }

  /** Completes, with the deleted Deployment's name, once the pods were stopped because a Deployment was deleted. */
  CompletableFuture<String> stopped() {
    return stopped;
  }

  /** One replica, ready and available: what the Deployment controller writes once its pod's readiness probe passes. */
  private static void reportReady(KubernetesClient client, String namespace, String name) {
    client.apps().deployments().inNamespace(namespace).withName(name).editStatus(d -> {
      d.setStatus(new DeploymentStatusBuilder()
          .withObservedGeneration(d.getMetadata().getGeneration())
          .withReplicas(1).withUpdatedReplicas(1).withReadyReplicas(1).withAvailableReplicas(1)
          .withConditions(
              new DeploymentConditionBuilder().withType("Available").withStatus("True")
                  .withReason("MinimumReplicasAvailable").withMessage("Deployment has minimum availability.").build(),
              new DeploymentConditionBuilder().withType("Progressing").withStatus("True")
                  .withReason("NewReplicaSetAvailable").withMessage("ReplicaSet has successfully progressed.").build())
          .build());
      return d;
    });
  }

  @Override
  public void close() {
    watch.close();
    running.close();
  }
}
