package dev.seldonj.desired;

import dev.seldonj.api.model.PredictiveUnit;
import dev.seldonj.desired.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The init container that downloads a unit's {@code modelUri} into a shared emptyDir mounted at
 * /mnt/models (Seldon's {@code model_initializer_injector.go}): {@code gs://}, {@code s3://} and
 * {@code https://} are passed to the initializer; {@code pvc://<claim>/<path>} mounts the claim at
 * /mnt/pvc and copies from there. Credentials come from the unit's {@code envSecretRefName}, else the
 * configured default secret.
 */
final class StorageInitializer {

    static final String PVC_SCHEME = "pvc://";
    static final String PVC_MOUNT = "/mnt/pvc";

    private StorageInitializer() {}

    static boolean disabled(PredictorContext ctx) {
        return ctx.annotation(SeldonLabels.ANNOTATION_NO_STORAGE_INITIALIZER)
                .map("true"::equals)
                .orElse(false);
    }

    /** Where a model comes from: a graph node's or an explainer's modelUri and download settings. */
    record ModelSource(String uri, String initializerImage, String envSecretRefName) {
        static ModelSource of(PredictiveUnit unit) {
            return new ModelSource(unit.getModelUri(), unit.getStorageInitializerImage(), unit.getEnvSecretRefName());
        }
    }

    static void apply(PredictorContext ctx, PodSpec pod, Container model, ModelSource unit, String containerName) {
        String uri = unit.uri();
        if (uri == null || uri.isEmpty() || disabled(ctx)) {
            return;
        }
        String initName = containerName + "-model-initializer";
        if (pod.getInitContainers().stream().anyMatch(c -> initName.equals(c.getName()))) {
            return;
        }
        OperatorConfig.StorageInitializer settings = ctx.config().storageInitializer();
        String volumeName = containerName + "-provision-location";
        List<Volume> volumes = new ArrayList<>(pod.getVolumes());
        volumes.add(new VolumeBuilder()
                .withName(volumeName)
                .withNewEmptyDir()
                .endEmptyDir()
                .build());

        List<VolumeMount> initMounts = new ArrayList<>();
        initMounts.add(new VolumeMountBuilder()
                .withName(volumeName)
                .withMountPath(ModelContainer.MODEL_DIR)
                .build());
        String source = uri;
        if (uri.startsWith(PVC_SCHEME)) {
            String rest = uri.substring(PVC_SCHEME.length());
            int slash = rest.indexOf('/');
            String claim = slash < 0 ? rest : rest.substring(0, slash);
            String path = slash < 0 ? "" : rest.substring(slash + 1);
            String pvcVolume = containerName + "-pvc-source";
            volumes.add(new VolumeBuilder()
                    .withName(pvcVolume)
                    .withNewPersistentVolumeClaim()
                    .withClaimName(claim)
                    .withReadOnly(true)
                    .endPersistentVolumeClaim()
                    .build());
            initMounts.add(new VolumeMountBuilder()
                    .withName(pvcVolume)
                    .withMountPath(PVC_MOUNT)
                    .withReadOnly(true)
                    .build());
            source = PVC_MOUNT + "/" + path;
        }
        pod.setVolumes(volumes);

        String image =
                unit.initializerImage() != null && !unit.initializerImage().isEmpty()
                        ? unit.initializerImage()
                        : settings.image();
        ContainerBuilder init = new ContainerBuilder()
                .withName(initName)
                .withImage(image)
                .withImagePullPolicy("IfNotPresent")
                .withArgs(source, ModelContainer.MODEL_DIR)
                .withVolumeMounts(initMounts)
                .withNewResources()
                .addToRequests("cpu", new Quantity(settings.cpuRequest()))
                .addToRequests("memory", new Quantity(settings.memoryRequest()))
                .addToLimits("cpu", new Quantity(settings.cpuLimit()))
                .addToLimits("memory", new Quantity(settings.memoryLimit()))
                .endResources()
                .withTerminationMessagePath("/dev/termination-log")
                .withTerminationMessagePolicy("File");
        String secret =
                unit.envSecretRefName() != null && !unit.envSecretRefName().isEmpty()
                        ? unit.envSecretRefName()
                        : ctx.config().predictiveUnit().defaultEnvSecretRefName();
        if (secret != null && !secret.isEmpty()) {
            init.addNewEnvFrom()
                    .withNewSecretRef()
                    .withName(secret)
                    .endSecretRef()
                    .endEnvFrom();
        }
        List<Container> inits = new ArrayList<>(pod.getInitContainers());
        inits.add(init.build());
        pod.setInitContainers(inits);

        List<VolumeMount> mounts = new ArrayList<>(model.getVolumeMounts());
        mounts.add(new VolumeMountBuilder()
                .withName(volumeName)
                .withMountPath(ModelContainer.MODEL_DIR)
                .withReadOnly(true)
                .build());
        model.setVolumeMounts(mounts);
    }
}
