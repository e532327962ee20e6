package dev.seldonj.node.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodFilesTest {

    private final Pod pod = new PodBuilder()
            .withNewMetadata()
            .withName("web-0")
            .withNamespace("ns")
            .withUid("u")
            .endMetadata()
            .withNewSpec()
            .withSubdomain("web")
            .addNewHostAlias()
            .withIp("10.0.0.9")
            .withHostnames("db", "db.local")
            .endHostAlias()
            .endSpec()
            .build();

    @Test
    void hostsNamesThePodAndItsAliases() {
        String hosts = PodFiles.hosts(pod, "10.244.100.5");
        assertThat(hosts)
                .contains("127.0.0.1\tlocalhost\n")
                .contains("10.244.100.5\tweb-0.web.ns.svc.cluster.local\tweb-0\n")
                .contains("10.0.0.9\tdb\tdb.local\n");
    }

    @Test
    void theKubernetesServiceVariablesNameTheRealApiServer() {
        assertThat(PodFiles.kubernetesService("10.244.100.1", 16443))
                .containsEntry("KUBERNETES_SERVICE_HOST", "10.244.100.1")
                .containsEntry("KUBERNETES_SERVICE_PORT", "16443")
                .containsEntry("KUBERNETES_SERVICE_PORT_HTTPS", "16443")
                .containsEntry("KUBERNETES_PORT", "tcp://10.244.100.1:16443")
                .containsEntry("KUBERNETES_PORT_16443_TCP_ADDR", "10.244.100.1");
    }

    @Test
    void aLogTailIsAtMostEightyLinesAndTwoKilobytes(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("0.log");
        Files.writeString(
                log, IntStream.range(0, 100).mapToObj(i -> "line " + i).collect(Collectors.joining("\n")) + "\n");
        String tail = PodFiles.tail(log);
        assertThat(tail.split("\n")).hasSize(80);
        assertThat(tail).startsWith("line 20").endsWith("line 99");
        Files.writeString(log, "x".repeat(5000));
        assertThat(PodFiles.tail(log)).hasSize(2048);
        assertThat(PodFiles.tail(dir.resolve("missing.log"))).isEmpty();
    }
}
