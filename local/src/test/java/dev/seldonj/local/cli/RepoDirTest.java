package dev.seldonj.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seldonj.local.errors.RunnerException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepoDirTest {

    @TempDir
    Path dir;

    @Test
    void theCheckoutIsFoundAboveTheWorkingDirectoryElseAboveTheRunnersJar() throws Exception {
        Path checkout = Files.createDirectories(dir.resolve("seldonj"));
        Files.writeString(checkout.resolve("pom.xml"), "<artifactId>seldonj-parent</artifactId><modules></modules>");
        Path jar = Files.createDirectories(checkout.resolve("local/target")).resolve("seldonj-local.jar");
        Path elsewhere = Files.createDirectories(dir.resolve("my/models"));
        assertThat(RepoDir.locate(checkout.resolve("local"), jar)).isEqualTo(checkout);
        assertThat(RepoDir.locate(elsewhere, jar)).isEqualTo(checkout);
        assertThatThrownBy(() -> RepoDir.locate(elsewhere, elsewhere.resolve("x.jar")))
                .isInstanceOf(RunnerException.class)
                .hasMessageContaining("pass --repo-dir DIR");
    }
}
