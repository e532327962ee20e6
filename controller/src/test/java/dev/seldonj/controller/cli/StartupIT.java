package dev.seldonj.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seldonj.controller.testing.Kubeconfigs;
import dev.seldonj.controller.testing.TestApiServer;
import dev.seldonj.controller.testing.TestPki;
import dev.seldonj.controller.testing.TestPki.KeyFormat;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar seldonj-controller.jar operator} started as its own process with a crafted
 * environment (no inherited variables, HOME and the kubeconfig in a temporary folder, API servers on
 * 127.0.0.1 only): each start that cannot work ends with exit code 1 and one line on stderr naming
 * what is wrong, never a stack trace.
 */
class StartupIT {

    static TestPki pki;
    static TestPki.Issued serverCert;
    static TestPki.Issued user;

    @TempDir
    Path dir;

    @BeforeAll
    static void pki() throws Exception {
        pki = TestPki.create();
        serverCert = pki.server();
        user = pki.client("seldonj-test", true);
    }

    /** The process's stderr and exit code. */
    record Run(int exitCode, String stderr) {
        /** The single "cannot start" line; fails when there is none or a stack trace. */
        String failure() {
            assertThat(stderr).as("stderr").doesNotContain("\tat ").doesNotContainPattern("(?m)^Caused by");
            List<String> lines = stderr.lines()
                    .filter(l -> l.startsWith("seldonj-controller: cannot start: "))
                    .toList();
            assertThat(lines).as("stderr:\n%s", stderr).hasSize(1);
            assertThat(stderr.lines().filter(l -> l.contains(" ERROR ")).toList())
                    .as("ERROR log lines")
                    .isEmpty();
            assertThat(exitCode).isEqualTo(1);
            return lines.get(0).substring("seldonj-controller: cannot start: ".length());
        }
    }

    /** Runs {@code operator --config controller.yaml} with the given settings; Micronaut's server on a free port. */
    private Run run(Path kubeconfig, String controllerYaml, Map<String, String> env) throws Exception {
        return run(kubeconfig, Files.writeString(dir.resolve("controller.yaml"), controllerYaml), env);
    }

    private Run run(Path kubeconfig, Path settingsFile, Map<String, String> env) throws Exception {
        Path micronautSettings = Files.writeString(dir.resolve("application.yml"), "micronaut.server.port: -1\n");
        Path home = Files.createDirectories(dir.resolve("home"));
        ProcessBuilder pb = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-jar",
                jar().toString(),
                "operator",
                "--config",
                settingsFile.toString());
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv("PATH"));
        pb.environment().put("HOME", home.toString());
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        pb.environment().put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
        // fabric8's own retry setting (default 10 retries with backoff, ~20 s), so a refused connection fails at once.
        pb.environment().put("KUBERNETES_REQUEST_RETRY_BACKOFFLIMIT", "0");
        pb.environment().put("MICRONAUT_CONFIG_FILES", micronautSettings.toString());
        pb.environment().putAll(env);
        Path stderr = dir.resolve("stderr.txt");
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile());
        Process process = pb.start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the controller did not exit within 90 s:\n" + Files.readString(stderr));
        }
        return new Run(process.exitValue(), Files.readString(stderr, StandardCharsets.UTF_8));
    }

    private static Path jar() throws IOException {
        try (var files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("seldonj-controller-.*\\.jar"))
                    .filter(p -> !p.getFileName().toString().startsWith("original-"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("build the jar first: mvn -pl controller package"));
        }
    }

    private Path kubeconfig(String server, String namespace) throws IOException {
        return Kubeconfigs.write(
                dir.resolve("kubeconfig"),
                server,
                pki.ca().certificatePem(),
                Kubeconfigs.clientCertificate(user.certificatePem(), user.keyPem(KeyFormat.EC_PKCS8)),
                namespace);
    }

    /** An address on 127.0.0.1 where nothing listens. */
    private static String closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "https://127.0.0.1:" + socket.getLocalPort();
        }
    }

    private static final String NO_WEBHOOK = """
      webhook: {enabled: false}
      """;

    private static final String NO_WEBHOOK_NO_ELECTION = """
      webhook: {enabled: false}
      leader-election: {enabled: false}
      """;

    @Test
    void aSettingsFileWithAWrongKeyIsNamedWithTheFileAndTheKey() throws Exception {
        String line = run(
                        kubeconfig(closedPort(), "ops"),
                        "webhook: {enabled: false}\nengine: {http-port: eighty}\n",
                        Map.of())
                .failure();
        assertThat(line).startsWith("configuration: " + dir.resolve("controller.yaml") + ": engine.http-port: ");
    }

    @Test
    void aMissingSettingsFileIsNamed() throws Exception {
        Path missing = dir.resolve("nowhere/controller.yaml");
        String line = run(kubeconfig(closedPort(), "ops"), missing, Map.of()).failure();
        assertThat(line).isEqualTo("configuration: " + missing + ": no such file");
    }

    @Test
    void withoutPodNamespaceOrAKubeconfigNamespaceItAsksForPodNamespace() throws Exception {
        String line = run(kubeconfig(closedPort(), null), NO_WEBHOOK, Map.of()).failure();
        assertThat(line).startsWith("POD_NAMESPACE is not set").contains("set POD_NAMESPACE");
    }

    @Test
    void withoutPodNamespaceTheKubeconfigsNamespaceHoldsTheLease() throws Exception {
        Run run = run(kubeconfig(closedPort(), "ops"), NO_WEBHOOK, Map.of());
        assertThat(run.stderr()).contains("leader election on Lease ops/seldon-controller-leader");
        // It got as far as the API server, which is not there.
        assertThat(run.failure()).startsWith("cannot reach the Kubernetes API server");
    }

    @Test
    void anUnreachableApiServerIsNamedWithTheCause() throws Exception {
        String server = closedPort();
        String line = run(kubeconfig(server, "ops"), NO_WEBHOOK, Map.of("POD_NAMESPACE", "seldon-system"))
                .failure();
        assertThat(line)
                .startsWith("cannot reach the Kubernetes API server at " + server + "/")
                .contains("connection refused");
    }

    @Test
    void rejectedCredentialsAreNamedWithTheServer() throws Exception {
        try (TestApiServer api = TestApiServer.start(
                pki.serverContext(serverCert),
                false,
                401,
                TestApiServer.statusBody(401, "Unauthorized", "Unauthorized"))) {
            String line = run(kubeconfig(api.url(), null), NO_WEBHOOK_NO_ELECTION, Map.of())
                    .failure();
            assertThat(line)
                    .startsWith("the Kubernetes API server at " + api.url() + "/ refused listing "
                            + "machinelearning.seldon.io/v1 SeldonDeployments: 401 Unauthorized")
                    .contains("credentials");
        }
    }

    @Test
    void missingRbacIsNamedWithTheServersMessage() throws Exception {
        String message = "seldondeployments.machinelearning.seldon.io is forbidden: User \"seldonj-test\" cannot list "
                + "resource \"seldondeployments\" in API group \"machinelearning.seldon.io\" at the cluster scope";
        // The server requires the client certificate: the EC PKCS#8 key of the kubeconfig (as k3s writes it) works.
        try (TestApiServer api = TestApiServer.start(
                pki.serverContext(serverCert), true, 403, TestApiServer.statusBody(403, "Forbidden", message))) {
            String line = run(kubeconfig(api.url(), null), NO_WEBHOOK_NO_ELECTION, Map.of())
                    .failure();
            assertThat(line)
                    .startsWith("the Kubernetes API server at " + api.url() + "/ refused listing "
                            + "machinelearning.seldon.io/v1 SeldonDeployments: 403 Forbidden: " + message)
                    .contains("RBAC");
            assertThat(api.calls())
                    .isNotEmpty()
                    .allSatisfy(call -> assertThat(call.clientSubject()).contains("CN=seldonj-test"));
        }
    }

    @Test
    void aMissingWebhookCertificateIsNamedWithItsSetting() throws Exception {
        Path certDir = dir.resolve("no-certs");
        String line = run(kubeconfig(closedPort(), "ops"), webhookConfig(certDir), Map.of())
                .failure();
        assertThat(line)
                .isEqualTo("webhook certificate: " + certDir.resolve("tls.crt") + ": no such file; "
                        + "the certificate directory is the setting webhook.cert-dir (the chart mounts its webhook TLS Secret "
                        + "there; chart values certManager.enabled, webhook.enabled), or turn the webhook off with "
                        + "webhook.enabled: false");
    }

    @Test
    void aWebhookKeyThatIsNoKeyIsNamed() throws Exception {
        Path certDir = Files.createDirectories(dir.resolve("certs"));
        TestPki.Issued webhook = pki.server();
        Files.writeString(certDir.resolve("tls.crt"), webhook.certificatePem());
        Files.writeString(certDir.resolve("tls.key"), "not a key\n");
        String line = run(kubeconfig(closedPort(), "ops"), webhookConfig(certDir), Map.of())
                .failure();
        assertThat(line)
                .startsWith("webhook certificate: " + certDir.resolve("tls.key") + ": no private key found")
                .contains("setting webhook.cert-dir");
    }

    private static String webhookConfig(Path certDir) {
        return """
        webhook: {enabled: true, port: 0, cert-dir: "%s"}
        """.formatted(certDir);
    }
}
