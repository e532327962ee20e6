package dev.seldonj.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seldonj.local.errors.RunnerException;
import dev.seldonj.local.plan.PodPlan;
import dev.seldonj.local.volumes.LocalVolumes;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalVolumesTest {

    @TempDir
    Path pvcs;

    private static final Volume MODELS = new VolumeBuilder()
            .withName("classifier-provision-location")
            .withNewEmptyDir()
            .endEmptyDir()
            .build();

    private static Container mounting(String name, String volume, String path) {
        return new ContainerBuilder()
                .withName(name)
                .addNewVolumeMount()
                .withName(volume)
                .withMountPath(path)
                .endVolumeMount()
                .build();
    }

    @Test
    void anEmptyDirIsOneFolderSharedByThePodsContainersAndGoneAfterTheRun() {
        Container init = mounting("classifier-model-initializer", MODELS.getName(), "/mnt/models");
        Container model = mounting("classifier", MODELS.getName(), "/mnt/models");
        PodPlan pod = new PodPlan("ns", "p", Map.of(), List.of(init), List.of(model), List.of(MODELS));
        List<String> warnings = new ArrayList<>();
        LocalVolumes volumes = LocalVolumes.create(pvcs, warnings::add);
        LocalVolumes.PathRewriter forInit = volumes.forContainer(pod, init);
        String folder = forInit.rewrite("/mnt/models");
        assertThat(Path.of(folder)).isDirectory();
        assertThat(volumes.forContainer(pod, model).rewrite("/mnt/models")).isEqualTo(folder);
        assertThat(forInit.rewrite(List.of("gs://seldon-models/sklearn/iris", "/mnt/models")))
                .containsExactly("gs://seldon-models/sklearn/iris", folder);
        assertThat(forInit.rewrite("[{\"name\":\"model_uri\",\"value\":\"/mnt/models\",\"type\":\"STRING\"}]"))
                .isEqualTo("[{\"name\":\"model_uri\",\"value\":\"" + folder + "\",\"type\":\"STRING\"}]");
        assertThat(forInit.rewrite("--model_base_path=/mnt/models/1")).isEqualTo("--model_base_path=" + folder + "/1");
        assertThat(forInit.rewrite("/mnt/models2 and /x/mnt/models")).isEqualTo("/mnt/models2 and /x/mnt/models");
        assertThat(warnings).isEmpty();
        volumes.close();
        assertThat(Path.of(folder)).doesNotExist();
    }

    @Test
    void aClaimIsAFolderOfThePvcDirAndAMissingOneIsNamed() throws Exception {
        Volume claim = new VolumeBuilder()
                .withName("src")
                .withNewPersistentVolumeClaim()
                .withClaimName("models")
                .endPersistentVolumeClaim()
                .build();
        Container init = mounting("init", "src", "/mnt/pvc");
        PodPlan pod = new PodPlan("ns", "p", Map.of(), List.of(init), List.of(), List.of(claim));
        try (LocalVolumes volumes = LocalVolumes.create(pvcs, w -> {})) {
            assertThatThrownBy(() -> volumes.forContainer(pod, init))
                    .isInstanceOf(RunnerException.class)
                    .hasMessageContaining("PersistentVolumeClaim models")
                    .hasMessageContaining(pvcs.resolve("models").toString());
            Files.createDirectories(pvcs.resolve("models/iris"));
            assertThat(volumes.forContainer(pod, init).rewrite("/mnt/pvc/iris"))
                    .isEqualTo(pvcs.resolve("models") + "/iris");
        }
        assertThat(pvcs.resolve("models/iris")).isDirectory();
    }

    @Test
    void secretVolumesAreNamedInAWarning() {
        Volume secret = new VolumeBuilder()
                .withName("creds")
                .withNewSecret()
                .withSecretName("s")
                .endSecret()
                .build();
        Container c = mounting("c", "creds", "/etc/creds");
        List<String> warnings = new ArrayList<>();
        try (LocalVolumes volumes = LocalVolumes.create(pvcs, warnings::add)) {
            assertThat(volumes.forContainer(new PodPlan("ns", "p", Map.of(), List.of(), List.of(c), List.of(secret)), c)
                            .rewrite("/etc/creds/key"))
                    .isEqualTo("/etc/creds/key");
        }
        assertThat(warnings).singleElement().asString().contains("volume creds");
    }
}
