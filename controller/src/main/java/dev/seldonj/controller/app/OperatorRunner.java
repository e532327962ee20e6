package dev.seldonj.controller.app;

import dev.seldonj.controller.config.OperatorConfig;
import dev.seldonj.controller.desired.SeldonLabels;
import dev.seldonj.controller.reconcile.SeldonDeploymentReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.util.HashSet;

/**
 * Creates and runs the Java Operator SDK {@link Operator} on the fabric8 client: one controller for
 * SeldonDeployments, scoped to the configured namespaces and controller id, with leader election on
 * a Lease when enabled. JOSDK has no Micronaut integration, so it is wired here by hand.
 */
@Context
@Requires(property = "seldon.controller.operator.enabled", notEquals = "false")
public class OperatorRunner {

  private final Operator operator;

  public OperatorRunner(KubernetesClient client, OperatorConfig config, MeterRegistry meters, Clock clock,
      @Value("${pod.namespace:}") String podNamespace) {
    OperatorConfig.LeaderElection election = config.leaderElection();
    String leaseNamespace = election.leaseNamespace() == null || election.leaseNamespace().isEmpty()
        ? podNamespace : election.leaseNamespace();
    this.operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withUseSSAToPatchPrimaryResource(false)
          .withStopOnInformerErrorDuringStartup(true);
      if (election.enabled()) {
        o.withLeaderElectionConfiguration(leaseNamespace == null || leaseNamespace.isEmpty()
            ? new LeaderElectionConfiguration(election.leaseName())
            : new LeaderElectionConfiguration(election.leaseName(), leaseNamespace));
      }
    });
    operator.register(new SeldonDeploymentReconciler(client, config, meters, clock), c -> {
      c.withName("seldondeployment").withLabelSelector(controllerIdSelector(config.controllerId()));
      if (config.watchNamespaces().isEmpty()) {
        c.watchingAllNamespaces();
      } else {
        c.settingNamespaces(new HashSet<>(config.watchNamespaces()));
      }
    });
    operator.start();
  }

  /** {@code seldon.io/controller-id=<id>}, or only resources without the label when no id is set (as Seldon). */
  static String controllerIdSelector(String controllerId) {
    return controllerId.isEmpty() ? "!" + SeldonLabels.CONTROLLER_ID : SeldonLabels.CONTROLLER_ID + "=" + controllerId;
  }

  public Operator operator() {
    return operator;
  }

  /** Whether every informer is connected and watching. */
  public boolean healthy() {
    return operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  @PreDestroy
  void stop() {
    operator.stop();
  }

}
