package dev.seldonj.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seldonj.local.errors.RunnerException;
import dev.seldonj.local.images.ImageCommand;
import dev.seldonj.local.images.ImageCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageCommandsTest {

    @TempDir
    Path dir;

    @Test
    void userEntriesMatchExactTagsThenAnyTagAndResolveWorkingDirAgainstTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("images.yaml"), """
        my/model:1.0: {command: [seldon-core-microservice, MyModel], workingDir: ./model, env: {A: b}}
        my/model: {command: [python, other.py]}
        """);
        ImageCommands images = ImageCommands.load(dir, "/usr/bin/java", file);
        ImageCommand exact = images.resolve("docker.io/my/model:1.0", "container p/c");
        assertThat(exact.command()).containsExactly("seldon-core-microservice", "MyModel");
        assertThat(exact.workingDir()).isEqualTo(dir.resolve("model"));
        assertThat(exact.env()).containsEntry("A", "b");
        assertThat(images.resolve("my/model:2.0", "container p/c").command()).containsExactly("python", "other.py");
    }

    @Test
    void anUnknownImageNamesTheImageAndTheLineToAdd() {
        ImageCommands images = ImageCommands.load(dir, "java", null);
        assertThatThrownBy(() -> images.resolve("acme/thing:3", "container pod/thing"))
                .isInstanceOf(RunnerException.class)
                .hasMessageContaining("no local command for image acme/thing:3 (used by container pod/thing)")
                .hasMessageContaining("--images FILE")
                .hasMessageContaining("acme/thing:3: {command: [");
    }

    @Test
    void aBuiltInImageWhoseJarIsNotBuiltSaysHowToBuildIt() {
        ImageCommands images = ImageCommands.load(dir, "java", null);
        assertThatThrownBy(() -> images.resolve("seldonio/mock_classifier:1.0", "container p/classifier"))
                .isInstanceOf(RunnerException.class)
                .hasMessageContaining(dir.resolve("components/target").toString())
                .hasMessageContaining("is not built yet: run `mvn -B -ntp -pl components -am install -DskipTests`");
    }

    @Test
    void aBuiltInImageRunsTheRepositorysJarWithTheRunnersJava() throws IOException {
        Path jar = dir.resolve("engine/target/seldonj-engine-0.1.0-SNAPSHOT.jar");
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "");
        ImageCommand engine =
                ImageCommands.load(dir, "/opt/jdk/bin/java", null).resolve("seldonj/engine:0.1.0", "engine");
        assertThat(engine.command()).containsExactly("/opt/jdk/bin/java", "-jar", jar.toString());
    }

    @Test
    void aMalformedFileNamesTheEntryAndTheProblem() throws IOException {
        Path file = Files.writeString(dir.resolve("images.yaml"), """
        my/model:1.0: {comand: [python]}
        """);
        assertThatThrownBy(() -> ImageCommands.load(dir, "java", file))
                .isInstanceOf(RunnerException.class)
                .hasMessageContaining("images.yaml")
                .hasMessageContaining("my/model:1.0")
                .hasMessageContaining("comand");
        Path empty = Files.writeString(dir.resolve("empty-command.yaml"), "my/model: {workingDir: .}\n");
        assertThatThrownBy(() -> ImageCommands.load(dir, "java", empty))
                .hasMessageContaining("my/model: command is required");
    }

    @Test
    void anEntryMayNameTheImagesRealEntrypointWhichIsNotSubstituted() throws IOException {
        Path file = Files.writeString(dir.resolve("images.yaml"), """
        my/server: {command: ["${java}", serve.py], entrypoint: ["/usr/bin/serve", "${java}"]}
        my/plain: {command: [python, plain.py]}
        """);
        ImageCommands images = ImageCommands.load(dir, "/opt/jdk/bin/java", file);
        ImageCommand server = images.resolve("my/server:1", "container p/c");
        assertThat(server.command()).containsExactly("/opt/jdk/bin/java", "serve.py");
        assertThat(server.entrypoint()).containsExactly("/usr/bin/serve", "${java}");
        assertThat(images.resolve("my/plain:1", "container p/c").entrypoint()).isEmpty();
    }

    @Test
    void theControllerImageRunsTheRepositorysControllerJarForTheChartsEntrypoint() throws IOException {
        Path jar = dir.resolve("controller/target/seldonj-controller-0.1.0-SNAPSHOT.jar");
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "");
        ImageCommand controller =
                ImageCommands.load(dir, "/opt/jdk/bin/java", null).resolve("seldonj/controller:0.1.0", "manager");
        assertThat(controller.command()).containsExactly("/opt/jdk/bin/java", "-jar", jar.toString());
        assertThat(controller.entrypoint()).containsExactly("java", "-jar", "/app/controller.jar");
    }

    @Test
    void pythonModelsRunOnTheProjectsWrapperFromItsVirtualenv() throws IOException {
        Path wrapper = dir.resolve(".venv-wrapper/bin/seldon-core-microservice");
        ImageCommands missing = ImageCommands.load(dir, "java", null);
        assertThatThrownBy(() -> missing.resolve("seldonj/python-example-model:0.1.0", "container p/classifier"))
                .isInstanceOf(RunnerException.class)
                .hasMessageContaining(wrapper.toString())
                .hasMessageContaining("run `make wrapper-venv`");

        Files.createDirectories(wrapper.getParent());
        Files.writeString(wrapper, "");
        Path file = Files.writeString(dir.resolve("images.yaml"), """
        my/py:1.0: {command: ["${python-wrapper}", Model], workingDir: ./py}
        """);
        ImageCommands images = ImageCommands.load(dir, "java", file);
        ImageCommand example = images.resolve("seldonj/python-example-model:0.1.0", "container p/classifier");
        assertThat(example.command()).containsExactly(wrapper.toString(), "MyModel", "--service-type", "MODEL");
        assertThat(example.workingDir()).isEqualTo(dir.resolve("examples/python-model"));
        assertThat(images.resolve("my/py:1.0", "container p/c").command()).containsExactly(wrapper.toString(), "Model");
    }

    @Test
    void prepackagedServersRunFromTheirVirtualenvsUnderBothImageNames() throws IOException {
        Path sklearn = dir.resolve(".venv-servers/sklearn/bin/seldon-core-microservice");
        ImageCommands missing = ImageCommands.load(dir, "java", null);
        assertThatThrownBy(() -> missing.resolve("seldonio/sklearnserver:1.18.2", "container p/classifier"))
                .isInstanceOf(RunnerException.class)
                .hasMessageContaining(sklearn.toString())
                .hasMessageContaining("make servers-venv");

        for (String[] server : new String[][] {
            {"sklearn", "sklearnserver", "SKLearnServer"},
            {"xgboost", "xgboostserver", "XGBoostServer"},
            {"mlflow", "mlflowserver", "MLFlowServer"}
        }) {
            Path bin = dir.resolve(".venv-servers/" + server[0] + "/bin/seldon-core-microservice");
            Files.createDirectories(bin.getParent());
            Files.writeString(bin, "");
        }
        Path mlserver = dir.resolve(".venv-mlserver/bin/mlserver");
        Files.createDirectories(mlserver.getParent());
        Files.writeString(mlserver, "");
        ImageCommands images = ImageCommands.load(dir, "java", null);
        for (String[] server : new String[][] {
            {"sklearn", "sklearnserver", "SKLearnServer"},
            {"xgboost", "xgboostserver", "XGBoostServer"},
            {"mlflow", "mlflowserver", "MLFlowServer"}
        }) {
            String bin = dir.resolve(".venv-servers/" + server[0] + "/bin/seldon-core-microservice")
                    .toString();
            for (String image : new String[] {"seldonj/" + server[1] + ":0.1.0", "seldonio/" + server[1] + ":1.18.2"}) {
                ImageCommand c = images.resolve(image, "container p/classifier");
                assertThat(c.command()).containsExactly(bin, server[2], "--service-type", "MODEL");
                assertThat(c.workingDir()).isEqualTo(dir.resolve("servers/" + server[1]));
            }
            assertThat(images.resolve("seldonj/" + server[1] + ":0.1.0", "c").entrypoint())
                    .containsExactly("seldon-core-microservice", server[2], "--service-type", "MODEL");
        }
        assertThat(images.resolve("seldonio/mlserver:1.3.5-sklearn", "container p/classifier")
                        .command())
                .containsExactly(mlserver.toString(), "start", "/mnt/models");
    }
}
