package dev.seldonj.desired;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code predictor.ssl.certSecretName}: the secret is mounted at /cert/ in every container and
 * {@code SELDON_CERT_MOUNT_PATH} names it, so the orchestrator serves TLS from tls.crt/tls.key.
 */
final class PredictorTls {

    static final String MOUNT_PATH = "/cert/";
    static final String VOLUME = "seldon-cert";

    private PredictorTls() {}

    static void apply(PredictorContext ctx, PodSpec pod) {
        if (ctx.predictor().getSsl() == null
                || ctx.predictor().getSsl().getCertSecretName() == null
                || ctx.predictor().getSsl().getCertSecretName().isEmpty()) {
            return;
        }
        List<Volume> volumes = new ArrayList<>(pod.getVolumes());
        volumes.add(new VolumeBuilder()
                .withName(VOLUME)
                .withNewSecret()
                .withSecretName(ctx.predictor().getSsl().getCertSecretName())
                .endSecret()
                .build());
        pod.setVolumes(volumes);
        for (Container c : pod.getContainers()) {
            List<VolumeMount> mounts = new ArrayList<>(c.getVolumeMounts());
            mounts.add(new VolumeMountBuilder()
                    .withName(VOLUME)
                    .withMountPath(MOUNT_PATH)
                    .withReadOnly(true)
                    .build());
            c.setVolumeMounts(mounts);
            List<EnvVar> env = new ArrayList<>(c.getEnv());
            ModelContainer.addIfAbsent(env, "SELDON_CERT_MOUNT_PATH", MOUNT_PATH);
            c.setEnv(env);
        }
    }
}
