package dev.seldonj.desired;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;

/** Pod and container defaults Seldon's operator applies to every pod it creates (seldon-v1.md 1.4, 2.2). */
final class PodDefaults {

    static final String PODINFO_VOLUME = "seldon-podinfo";
    static final String PODINFO_PATH = "/etc/podinfo";
    static final int TERMINATION_GRACE_PERIOD_SECONDS = 20;

    private PodDefaults() {}

    /** Fills what the user left unset; never overrides what the user wrote. */
    static void apply(PodSpec pod, Long defaultUserId) {
        if (pod.getTerminationGracePeriodSeconds() == null) {
            pod.setTerminationGracePeriodSeconds((long) TERMINATION_GRACE_PERIOD_SECONDS);
        }
        if (pod.getRestartPolicy() == null) {
            pod.setRestartPolicy("Always");
        }
        if (pod.getDnsPolicy() == null) {
            pod.setDnsPolicy("ClusterFirst");
        }
        if (pod.getSchedulerName() == null) {
            pod.setSchedulerName("default-scheduler");
        }
        if (pod.getSecurityContext() == null && defaultUserId != null) {
            PodSecurityContext security =
                    new PodSecurityContextBuilder().withRunAsUser(defaultUserId).build();
            pod.setSecurityContext(security);
        }
        List<Volume> volumes = new ArrayList<>(pod.getVolumes());
        if (volumes.stream().noneMatch(v -> PODINFO_VOLUME.equals(v.getName()))) {
            volumes.add(new VolumeBuilder()
                    .withName(PODINFO_VOLUME)
                    .withNewDownwardAPI()
                    .addNewItem()
                    .withPath("annotations")
                    .withNewFieldRef()
                    .withFieldPath("metadata.annotations")
                    .endFieldRef()
                    .endItem()
                    .endDownwardAPI()
                    .build());
        }
        pod.setVolumes(volumes);
        for (Container c : pod.getContainers()) {
            container(c);
        }
    }

    /** Seldon's container defaults, plus the podinfo mount (replacing the pre-1.2 {@code podinfo} one). */
    static void container(Container c) {
        if (c.getImagePullPolicy() == null) {
            c.setImagePullPolicy("IfNotPresent");
        }
        if (c.getTerminationMessagePath() == null) {
            c.setTerminationMessagePath("/dev/termination-log");
        }
        if (c.getTerminationMessagePolicy() == null) {
            c.setTerminationMessagePolicy("File");
        }
        List<VolumeMount> mounts = new ArrayList<>(c.getVolumeMounts());
        mounts.removeIf(m -> "podinfo".equals(m.getName()));
        if (mounts.stream().noneMatch(m -> PODINFO_VOLUME.equals(m.getName()))) {
            mounts.add(new VolumeMountBuilder()
                    .withName(PODINFO_VOLUME)
                    .withMountPath(PODINFO_PATH)
                    .build());
        }
        c.setVolumeMounts(mounts);
    }
}
