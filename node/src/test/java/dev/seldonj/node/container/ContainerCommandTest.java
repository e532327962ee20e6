package dev.seldonj.node.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seldonj.local.images.ImageCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerCommandTest {

    private final ImageCommand controller = new ImageCommand(
            List.of("/jdk/bin/java", "-jar", "/repo/controller.jar"),
            null,
            Map.of(),
            List.of("java", "-jar", "/app/controller.jar"));
    private final ImageCommand plain =
            new ImageCommand(List.of("/jdk/bin/java", "-jar", "/repo/c.jar", "mock-classifier"), null, Map.of());

    @Test
    void noCommandRunsTheMappedCommandWithExpandedArgs() {
        Container c = new ContainerBuilder()
                .withName("c")
                .withArgs("--port", "$(PORT)", "$$(PORT)")
                .build();
        assertThat(ContainerCommand.of("img", c, plain, Map.of("PORT", "9000")))
                .containsExactly(
                        "/jdk/bin/java", "-jar", "/repo/c.jar", "mock-classifier", "--port", "9000", "$(PORT)");
    }

    @Test
    void theImagesOwnEntrypointAsCommandRunsTheMappedCommand() {
        Container c = new ContainerBuilder()
                .withName("manager")
                .withCommand("java", "-jar", "/app/controller.jar")
                .withArgs("operator")
                .build();
        assertThat(ContainerCommand.of("seldonj/controller:0.1.0", c, controller, Map.of()))
                .containsExactly("/jdk/bin/java", "-jar", "/repo/controller.jar", "operator");
    }

    @Test
    void anotherCommandFailsTheContainerNamingImageAndCommand() {
        Container c = new ContainerBuilder()
                .withName("manager")
                .withCommand("/bin/sh", "-c", "sleep 1")
                .build();
        assertThatThrownBy(() -> ContainerCommand.of("seldonj/controller:0.1.0", c, controller, Map.of()))
                .isInstanceOfSatisfying(
                        ContainerConfigException.class,
                        e -> assertThat(e.reason()).isEqualTo("RunContainerError"))
                .hasMessageContaining("image seldonj/controller:0.1.0")
                .hasMessageContaining("[/bin/sh, -c, sleep 1]")
                .hasMessageContaining("only the image's ENTRYPOINT [java, -jar, /app/controller.jar]");
    }

    @Test
    void aCommandForAnImageWithoutKnownEntrypointSaysWhatToAddToTheMap() {
        Container c = new ContainerBuilder()
                .withName("c")
                .withCommand("python", "serve.py")
                .build();
        assertThatThrownBy(() -> ContainerCommand.of("my/model:1", c, plain, Map.of()))
                .hasMessageContaining("add `entrypoint: [\"python\", \"serve.py\"]`");
    }
}
