package dev.seldonj.controller.reconcile;

import dev.seldonj.api.model.SeldonDeployment;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on a SeldonDeployment for failures ({@code kubectl describe sdep} shows them).
 * The same reason and message for the same resource generation is recorded once, so a retrying
 * reconcile does not flood the namespace: remembered in memory, and, so that a restarted controller
 * (or a new leader) does not repeat it either, the Event's name is derived from what it records, so
 * the second create is refused by the API server (409) and ignored.
 */
final class EventRecorder {

    enum Reason {
        InvalidSpec,
        ReconcileFailed
    }

    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    private static final int MAX_REMEMBERED = 10_000;

    private final KubernetesClient client;
    private final Clock clock;
    private final Map<String, String> lastRecorded = new ConcurrentHashMap<>();

    EventRecorder(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** {@code <sdep>.<hash of uid, generation, reason and message>}, as client-go names events {@code <object>.<suffix>}. */
    private static String name(SeldonDeployment sdep, String fingerprint) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((sdep.getMetadata().getUid() + "/" + fingerprint).getBytes(StandardCharsets.UTF_8));
            String base = sdep.getMetadata().getName();
            return (base.length() > 200 ? base.substring(0, 200) : base) + "."
                    + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
                .withName(name(sdep, fingerprint))
                .withNamespace(sdep.getMetadata().getNamespace())
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(sdep.getApiVersion())
                .withKind(sdep.getKind())
                .withName(sdep.getMetadata().getName())
                .withNamespace(sdep.getMetadata().getNamespace())
                .withUid(uid)
                .withResourceVersion(sdep.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType("Warning")
                .withReason(reason.name())
                .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .withNewSource()
                .withComponent("seldonj-controller")
                .endSource()
                .build();
        try {
            client.v1()
                    .events()
                    .inNamespace(sdep.getMetadata().getNamespace())
                    .resource(event)
                    .create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                return; // recorded before this process started
            }
            // An event is best effort: the status carries the same message.
            LOG.warn(
                    "could not record event {} on {}/{}: {}",
                    reason,
                    sdep.getMetadata().getNamespace(),
                    sdep.getMetadata().getName(),
                    e.getMessage());
        }
    }
}
