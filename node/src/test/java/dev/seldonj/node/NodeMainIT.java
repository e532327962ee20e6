package dev.seldonj.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against an API server that is not there: one line, exit code 1 (it dials a closed port). */
class NodeMainIT {

    @TempDir
    Path dir;

    @Test
    void anUnreachableApiServerIsOneClearLineAndExitCodeOne() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:%d", insecure-skip-tls-verify: true}}]
        users: [{name: u, user: {token: t}}]
        contexts: [{name: c, context: {cluster: c, user: u}}]
        current-context: c
        """.formatted(port));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = NodeMain.run(
                new String[] {
                    "--kubeconfig",
                    kubeconfig.toString(),
                    "--api-server",
                    "https://10.244.100.1:16443",
                    "--state-dir",
                    dir.resolve("state").toString(),
                    "--repo-dir",
                    TestCluster.REPO.toString()
                },
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("seldonj-node: cannot reach the API server at https://127.0.0.1:" + port)
                .hasLineCount(1);
    }
}
