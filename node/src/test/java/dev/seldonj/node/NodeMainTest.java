package dev.seldonj.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeMainTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return NodeMain.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String errLines() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anUnknownFlagIsOneLineAndExitCodeOne() {
        assertThat(run("--kubeconfig", "k", "--api-server", "https://a:1", "--state-dir", dir.toString(), "--bogus"))
                .isEqualTo(1);
        assertThat(errLines())
                .startsWith("seldonj-node: Unknown option: '--bogus'")
                .hasLineCount(1);
    }

    @Test
    void aMissingRequiredFlagIsNamed() {
        assertThat(run("--kubeconfig", "k", "--state-dir", dir.toString())).isEqualTo(1);
        assertThat(errLines()).contains("--api-server").hasLineCount(1);
    }

    @Test
    void aMissingKubeconfigIsOneLine() {
        assertThat(run(
                        "--kubeconfig",
                        dir.resolve("nope").toString(),
                        "--api-server",
                        "https://10.244.100.1:16443",
                        "--state-dir",
                        dir.toString()))
                .isEqualTo(1);
        assertThat(errLines())
                .isEqualTo("seldonj-node: --kubeconfig " + dir.resolve("nope") + ": no such readable file\n");
    }

    @Test
    void badAddressesAreOneLineEach() throws IOException {
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), "apiVersion: v1\nkind: Config\n");
        assertThat(run(
                        "--kubeconfig",
                        kubeconfig.toString(),
                        "--api-server",
                        "https://10.244.100.1:16443",
                        "--state-dir",
                        dir.toString(),
                        "--bridge-address",
                        "10.244.100.1"))
                .isEqualTo(1);
        assertThat(errLines())
                .contains("--bridge-address: '10.244.100.1' is not an address with a prefix")
                .hasLineCount(1);
        err.reset();
        assertThat(run(
                        "--kubeconfig",
                        kubeconfig.toString(),
                        "--api-server",
                        "10.244.100.1:16443",
                        "--state-dir",
                        dir.toString()))
                .isEqualTo(1);
        assertThat(errLines())
                .contains("--api-server 10.244.100.1:16443: expected https://HOST:PORT")
                .hasLineCount(1);
    }

    @Test
    void theHelpListsTheFlagsTheClusterScriptsPass() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains(
                        "--kubeconfig",
                        "--node-name",
                        "--bridge",
                        "--bridge-address",
                        "--api-server",
                        "--state-dir",
                        "--repo-dir",
                        "--images",
                        "--gateway-port");
    }
}
