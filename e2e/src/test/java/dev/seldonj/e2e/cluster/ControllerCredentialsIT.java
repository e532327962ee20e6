package dev.seldonj.e2e.cluster;

import static dev.seldonj.e2e.cluster.Operators.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The operator process outside a pod, with every kind of credentials a user's kubeconfig holds: client
 * certificates with EC keys (PKCS#8 as k3s writes them, SEC1) and RSA keys (PKCS#1, PKCS#8), a
 * bearer token, and an exec plugin. The token ones are the chart's ServiceAccount's (TokenRequest
 * API), so the controller runs with exactly the RBAC the chart grants, leader election included: a
 * verb or resource the chart forgets fails here. Each run must reconcile a SeldonDeployment.
 */
class ControllerCredentialsIT {

    private static final String RELEASE = "creds";
    private static final String FULLNAME = RELEASE + "-seldon-core-operator";
    private static TestCluster cluster;
    private static String operatorNamespace;
    private static String models;
    private static Path pki;

    @BeforeAll
    static void chartWithoutItsPod() {
        cluster = TestCluster.get();
        Operators.cleanSlate(cluster);
        operatorNamespace = cluster.createNamespace("creds-system");
        models = cluster.createNamespace("creds-models");
        // The chart's ServiceAccount, RBAC and configuration, but no controller pod: this test runs it.
        Operators.install(cluster, RELEASE, operatorNamespace, "replicaCount=0", "webhook.enabled=false");
        pki = TestCluster.stateDir().resolve("pki");
    }

    @AfterAll
    static void uninstall() {
        Operators.uninstall(cluster, RELEASE, operatorNamespace);
        Operators.cleanSlate(cluster);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ec-pkcs8", "ec-sec1", "rsa-pkcs1", "rsa-pkcs8", "service-account-token", "exec-plugin"})
    void theOperatorReconcilesWithTheseCredentials(String credentials, @TempDir Path work) throws Exception {
        Path kubeconfig = work.resolve("kubeconfig");
        Files.writeString(kubeconfig, kubeconfig(credentials, work));
        // The installed chart's controller settings, passed as the chart's Deployment passes them.
        Path config = work.resolve("controller.yaml");
        Files.writeString(
                config,
                cluster.kubectl(
                                "get",
                                "configmap",
                                FULLNAME + "-config",
                                "-n",
                                operatorNamespace,
                                "-o",
                                "jsonpath={.data.controller\\.yaml}")
                        .orThrow());
        String name = "with-" + credentials;
        cluster.kubectlWithInput(Sdeps.withoutReplicas(name, ""), "apply", "-n", models, "-f", "-")
                .orThrow();

        Path log = work.resolve("controller.log");
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        TestCluster.REPOSITORY
                                .resolve("controller/target/seldonj-controller-0.1.0-SNAPSHOT.jar")
                                .toString(),
                        "operator",
                        "--config",
                        config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        builder.environment().put("POD_NAMESPACE", operatorNamespace);
        // Micronaut's own settings: health and metrics on a free port.
        builder.environment()
                .put(
                        "MICRONAUT_CONFIG_FILES",
                        Files.writeString(work.resolve("application.yml"), "micronaut.server.port: -1\n")
                                .toString());
        Process controller = builder.start();
        try {
            eventually(credentials + ": the SeldonDeployment is reconciled", Duration.ofMinutes(2))
                    .until(() -> {
                        assertThat(controller.isAlive())
                                .as(Files.readString(log))
                                .isTrue();
                        return cluster.admin()
                                        .apps()
                                        .deployments()
                                        .inNamespace(models)
                                        .withLabel("seldon-deployment-id", name)
                                        .list()
                                        .getItems()
                                        .size()
                                == 1;
                    });
            assertThat(Files.readString(log)).doesNotContain("Forbidden").doesNotContain("forbidden");
            eventually("the controller finished starting", Duration.ofMinutes(1))
                    .until(() -> Files.readString(log).contains("Startup completed"));
        } finally {
            controller.destroy();
            controller.waitFor(20, TimeUnit.SECONDS);
            controller.destroyForcibly();
        }
        // A deliberate stop hands the leader Lease back, so the next controller need not wait it out.
        assertThat(cluster.kubectl(
                                "get",
                                "lease",
                                FULLNAME + "-leader",
                                "-n",
                                operatorNamespace,
                                "-o",
                                "jsonpath={.spec.holderIdentity}")
                        .orThrow())
                .as(Files.readString(log))
                .isEmpty();
    }

    private static String kubeconfig(String credentials, Path work) throws IOException {
        String user = switch (credentials) {
            case "ec-pkcs8" ->
                certificateUser(
                        "ec-pkcs8",
                        work,
                        List.of("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"));
            case "ec-sec1" ->
                certificateUser(
                        "ec-sec1", work, List.of("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout"));
            case "rsa-pkcs1" ->
                certificateUser("rsa-pkcs1", work, List.of("openssl", "genrsa", "-traditional", "2048"));
            case "rsa-pkcs8" ->
                certificateUser(
                        "rsa-pkcs8",
                        work,
                        List.of("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"));
            case "service-account-token" -> "{token: " + serviceAccountToken() + "}";
            case "exec-plugin" -> """
          exec:
              apiVersion: client.authentication.k8s.io/v1
              command: /bin/sh
              args: ["-c", "printf '{\\"apiVersion\\":\\"client.authentication.k8s.io/v1\\",\\"kind\\":\\"ExecCredential\\",\\"status\\":{\\"token\\":\\"%s\\"}}'"]
              interactiveMode: Never
          """.formatted(serviceAccountToken());
            default -> throw new IllegalArgumentException(credentials);
        };
        return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster: {server: "https://127.0.0.1:%s", certificate-authority: "%s"}
        users:
        - name: user
          user:
            %s
        contexts:
        - name: test
          context: {cluster: test, user: user}
        current-context: test
        """.formatted(
                        System.getenv().getOrDefault("API_PORT", "16443"),
                        pki.resolve("ca.crt"),
                        user.strip().replace("\n", "\n    "));
    }

    /** A client certificate signed by the cluster's CA for a member of system:masters, its key made by {@code keygen}. */
    private static String certificateUser(String name, Path work, List<String> keygen) throws IOException {
        Path key = work.resolve(name + ".key");
        Files.writeString(
                key, Command.run(keygen, Map.of(), null, Duration.ofSeconds(30)).orThrow());
        Path csr = work.resolve(name + ".csr");
        Path crt = work.resolve(name + ".crt");
        run(
                "openssl",
                "req",
                "-new",
                "-key",
                key.toString(),
                "-subj",
                "/CN=" + name + "/O=system:masters",
                "-out",
                csr.toString());
        run(
                "openssl",
                "x509",
                "-req",
                "-in",
                csr.toString(),
                "-CA",
                pki.resolve("ca.crt").toString(),
                "-CAkey",
                pki.resolve("ca.key").toString(),
                "-CAcreateserial",
                "-days",
                "1",
                "-out",
                crt.toString());
        assertThat(Files.readString(key))
                .as(name)
                .contains(
                        switch (name) {
                            case "ec-sec1" -> "BEGIN EC PRIVATE KEY";
                            case "rsa-pkcs1" -> "BEGIN RSA PRIVATE KEY";
                            default -> "BEGIN PRIVATE KEY";
                        });
        return "{client-certificate: \"" + crt + "\", client-key: \"" + key + "\"}";
    }

    /** A token of the chart's ServiceAccount from the TokenRequest API. */
    private static String serviceAccountToken() {
        return cluster.kubectl("create", "token", FULLNAME, "-n", operatorNamespace, "--duration", "1h")
                .orThrow()
                .strip();
    }

    private static void run(String... argv) {
        Command.run(List.of(argv), Map.of(), null, Duration.ofSeconds(30)).orThrow();
    }
}
