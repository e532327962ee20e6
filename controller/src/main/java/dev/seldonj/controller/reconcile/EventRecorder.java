package dev.seldonj.controller.reconcile;

import dev.seldonj.api.model.SeldonDeployment;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on a SeldonDeployment for failures ({@code kubectl describe sdep} shows them).
 * The same reason and message for the same resource generation is recorded once, so a retrying
 * reconcile does not flood the namespace.
 */
final class EventRecorder {

  enum Reason { InvalidSpec, ReconcileFailed }

  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final int MAX_REMEMBERED = 10_000;

  private final KubernetesClient client;
  private final Clock clock;
  private final Map<String, String> lastRecorded = new ConcurrentHashMap<>();

  EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  void warning(SeldonDeployment sdep, Reason reason, String message) {
    String uid = sdep.getMetadata().getUid();
    String fingerprint = sdep.getMetadata().getGeneration() + "/" + reason + "/" + message;
    if (fingerprint.equals(lastRecorded.get(uid))) {
      return;
    }
    if (lastRecorded.size() > MAX_REMEMBERED) {
      lastRecorded.clear();
    }
    lastRecorded.put(uid, fingerprint);
    String now = Instant.now(clock).toString();
    Event event = new EventBuilder()
        .withNewMetadata()
        .withGenerateName(sdep.getMetadata().getName() + ".")
        .withNamespace(sdep.getMetadata().getNamespace())
        .endMetadata()
        .withNewInvolvedObject()
        .withApiVersion(sdep.getApiVersion()).withKind(sdep.getKind())
        .withName(sdep.getMetadata().getName()).withNamespace(sdep.getMetadata().getNamespace())
        .withUid(uid).withResourceVersion(sdep.getMetadata().getResourceVersion())
        .endInvolvedObject()
        .withType("Warning")
        .withReason(reason.name())
        .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
        .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
        .withNewSource().withComponent("seldonj-controller").endSource()
        .build();
    try {
      client.v1().events().inNamespace(sdep.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      // An event is best effort: the status carries the same message.
      LOG.warn("could not record event {} on {}/{}: {}", reason, sdep.getMetadata().getNamespace(),
          sdep.getMetadata().getName(), e.getMessage());
    }
  }
}
