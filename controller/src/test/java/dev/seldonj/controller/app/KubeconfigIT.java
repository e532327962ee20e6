package dev.seldonj.controller.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seldonj.controller.testing.Kubeconfigs;
import dev.seldonj.controller.testing.TestApiServer;
import dev.seldonj.controller.testing.TestPki;
import dev.seldonj.controller.testing.TestPki.KeyFormat;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kubeconfigs as users have them, loaded by {@link KubeClients#fromEnvironment()} (the operator's own
 * code path: fabric8's auto-configuration, here pointed at the file with the {@code kubeconfig}
 * system property, which it reads before {@code KUBECONFIG}), each used for one TLS request to a
 * local API server that checks the credential. Client keys come in every PEM form; the EC PKCS#8 key
 * (as k3s writes it) failed in fabric8 alone with "Invalid DER: object is not integer".
 */
class KubeconfigIT {

    static TestPki pki;
    static TestPki.Issued serverCert;
    static final String VERSION = "{\"major\":\"1\",\"minor\":\"33\",\"gitVersion\":\"v1.33.0-test\"}";

    @TempDir
    Path dir;

    @BeforeAll
    static void pki() throws Exception {
        pki = TestPki.create();
        serverCert = pki.server();
        System.setProperty("kubernetes.auth.tryServiceAccount", "false");
    }

    @AfterAll
    static void clearServiceAccount() {
        System.clearProperty("kubernetes.auth.tryServiceAccount");
    }

    @AfterEach
    void clearKubeconfig() {
        System.clearProperty("kubeconfig");
    }

    private KubernetesClient clientFor(String server, String userYaml) throws Exception {
        Path file = Kubeconfigs.write(dir.resolve("config"), server, pki.ca().certificatePem(), userYaml, "team-a");
        System.setProperty("kubeconfig", file.toString());
        return KubeClients.fromEnvironment();
    }

    @ParameterizedTest
    @EnumSource(KeyFormat.class)
    void aClientCertificateWithAnyKeyFormatAuthenticates(KeyFormat format) throws Exception {
        TestPki.Issued user = pki.client("user-" + format.name().toLowerCase(), format.ec());
        try (TestApiServer api = TestApiServer.start(pki.serverContext(serverCert), true, 200, VERSION);
                KubernetesClient client = clientFor(
                        api.url(), Kubeconfigs.clientCertificate(user.certificatePem(), user.keyPem(format)))) {
            VersionInfo version = client.getKubernetesVersion();
            assertThat(version.getGitVersion()).isEqualTo("v1.33.0-test");
            assertThat(api.calls())
                    .last()
                    .extracting(TestApiServer.Call::clientSubject)
                    .asString()
                    .contains("CN=user-" + format.name().toLowerCase());
            assertThat(client.getConfiguration().getNamespace()).isEqualTo("team-a");
        }
    }

    @Test
    void aBearerTokenAuthenticates() throws Exception {
        try (TestApiServer api = TestApiServer.start(pki.serverContext(serverCert), false, 200, VERSION);
                KubernetesClient client = clientFor(api.url(), Kubeconfigs.token("static-token"))) {
            client.getKubernetesVersion();
            assertThat(api.calls())
                    .last()
                    .extracting(TestApiServer.Call::authorization)
                    .isEqualTo("Bearer static-token");
        }
    }

    @Test
    void anExecPluginsTokenAuthenticates() throws Exception {
        try (TestApiServer api = TestApiServer.start(pki.serverContext(serverCert), false, 200, VERSION);
                KubernetesClient client = clientFor(api.url(), Kubeconfigs.execToken("exec-token"))) {
            client.getKubernetesVersion();
            assertThat(api.calls())
                    .last()
                    .extracting(TestApiServer.Call::authorization)
                    .isEqualTo("Bearer exec-token");
        }
    }

    @Test
    void anUnreadableClientKeyIsNamed() throws Exception {
        TestPki.Issued user = pki.client("broken", true);
        assertThatThrownBy(() -> clientFor(
                        "https://127.0.0.1:1",
                        Kubeconfigs.clientCertificate(
                                user.certificatePem(),
                                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")))
                .isInstanceOf(StartupFailure.class)
                .hasMessageStartingWith("client key client-key-data in " + dir.resolve("config"));

        var ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertThatThrownBy(() -> clientFor(
                        "https://127.0.0.1:1",
                        Kubeconfigs.clientCertificate(
                                user.certificatePem(), TestPki.keyPem(ed25519.getPrivate(), KeyFormat.EC_PKCS8))))
                .isInstanceOf(StartupFailure.class)
                .hasMessageContaining("EdDSA keys are not supported");
    }
}
