package dev.seldonj.controller.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seldonj.controller.testing.TestPki;
import dev.seldonj.controller.testing.TestPki.KeyFormat;
import dev.seldonj.controller.tls.PemKeys.InvalidPemException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The webhook's certificate pair in every PEM form, and every way it can be wrong, named. */
class PemTlsTest {

    static TestPki pki;

    @TempDir
    Path dir;

    @BeforeAll
    static void pki() throws Exception {
        pki = TestPki.create();
    }

    private Path write(TestPki.Issued issued, String keyPem) throws Exception {
        Files.writeString(
                dir.resolve(PemTls.CERT_FILE),
                issued.certificatePem() + pki.ca().certificatePem());
        Files.writeString(dir.resolve(PemTls.KEY_FILE), keyPem);
        return dir;
    }

    @ParameterizedTest
    @EnumSource(KeyFormat.class)
    void acceptsRsaAndEcKeysInPkcs1Sec1AndPkcs8(KeyFormat format) throws Exception {
        TestPki.Issued issued = pki.client("webhook", format.ec());
        SSLContext context = PemTls.fromDirectory(write(issued, issued.keyPem(format)));
        SSLEngine engine = context.createSSLEngine();
        assertThat(engine.getSupportedCipherSuites()).isNotEmpty();
    }

    @Test
    void namesAMissingFile() {
        assertThatThrownBy(() -> PemTls.fromDirectory(dir.resolve("absent")))
                .isInstanceOf(InvalidPemException.class)
                .hasMessage(dir.resolve("absent").resolve("tls.crt") + ": no such file");
    }

    @Test
    void namesAFileThatIsNoCertificate() throws Exception {
        TestPki.Issued issued = pki.client("webhook", true);
        write(issued, issued.keyPem(KeyFormat.EC_PKCS8));
        Files.writeString(dir.resolve(PemTls.CERT_FILE), "hello\n");
        assertThatThrownBy(() -> PemTls.fromDirectory(dir)).hasMessageStartingWith(dir.resolve("tls.crt") + ": ");
    }

    @Test
    void namesAKeyFileWithoutAKey() throws Exception {
        TestPki.Issued issued = pki.client("webhook", true);
        write(issued, issued.certificatePem());
        assertThatThrownBy(() -> PemTls.fromDirectory(dir))
                .hasMessageStartingWith(dir.resolve("tls.key") + ": no private key found");
    }

    @Test
    void namesAKeyOfAnotherCertificate() throws Exception {
        TestPki.Issued issued = pki.client("webhook", true);
        TestPki.Issued other = pki.client("other", true);
        write(issued, other.keyPem(KeyFormat.EC_PKCS8));
        assertThatThrownBy(() -> PemTls.fromDirectory(dir))
                .hasMessageStartingWith(dir.resolve("tls.key") + ": the key does not belong to the certificate in "
                        + dir.resolve("tls.crt"));

        TestPki.Issued rsa = pki.client("rsa", false);
        write(issued, rsa.keyPem(KeyFormat.RSA_PKCS1));
        assertThatThrownBy(() -> PemTls.fromDirectory(dir))
                .hasMessageStartingWith(dir.resolve("tls.key") + ": RSA key does not belong to the EC certificate");
    }

    @Test
    void namesAnEncryptedKey() throws Exception {
        TestPki.Issued issued = pki.client("webhook", false);
        String encrypted =
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----\n";
        write(issued, encrypted);
        assertThatThrownBy(() -> PemTls.fromDirectory(dir)).hasMessageStartingWith(dir.resolve("tls.key") + ": ");
    }
}
