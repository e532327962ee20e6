package dev.seldonj.controller.webhook;

import dev.seldonj.controller.tls.PemKeys;
import dev.seldonj.controller.tls.PemKeys.InvalidPemException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * An SSLContext from the {@code tls.crt} / {@code tls.key} pair of a mounted kubernetes.io/tls
 * secret: certificate chain in PEM, key in PKCS#1, PKCS#8 or SEC1 (EC) PEM, as cert-manager, Helm or
 * openssl write them. Everything that can be wrong with the pair (missing, unreadable, not PEM, a key
 * of another certificate) is found here, at start-up, with the file named, rather than as a TLS
 * handshake failure the API server reports much later as "failed calling webhook".
 */
public final class PemTls {

    public static final String CERT_FILE = "tls.crt";
    public static final String KEY_FILE = "tls.key";

    private PemTls() {}

    public static SSLContext fromDirectory(Path certDir) throws InvalidPemException {
        Path cert = certDir.resolve(CERT_FILE);
        Path key = certDir.resolve(KEY_FILE);
        List<Certificate> chain = readChain(cert);
        PrivateKey privateKey = PemKeys.read(readText(key), key.toString());
        checkPair(chain.get(0), privateKey, cert, key);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0];
            store.setKeyEntry("webhook", privateKey, password, chain.toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new InvalidPemException(cert + ": cannot be used for TLS: " + e.getMessage());
        }
    }

    private static List<Certificate> readChain(Path cert) throws InvalidPemException {
        String text = readText(cert);
        List<Certificate> chain = new ArrayList<>();
        try {
            chain.addAll(CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII))));
        } catch (CertificateException e) {
            throw new InvalidPemException(cert + ": not a PEM certificate: " + e.getMessage());
        }
        if (chain.isEmpty()) {
            throw new InvalidPemException(cert + ": no certificate found (expected 'BEGIN CERTIFICATE')");
        }
        return chain;
    }

    private static String readText(Path file) throws InvalidPemException {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new InvalidPemException(file + ": no such file");
        } catch (IOException e) {
            throw new InvalidPemException(file + ": cannot be read: " + e.getMessage());
        }
    }

    /** Signs with the key and verifies with the certificate: a key of another certificate is caught here. */
    private static void checkPair(Certificate leaf, PrivateKey key, Path cert, Path keyFile)
            throws InvalidPemException {
        PublicKey publicKey = leaf.getPublicKey();
        if (!publicKey.getAlgorithm().equals(key.getAlgorithm())) {
            throw new InvalidPemException(keyFile + ": " + key.getAlgorithm() + " key does not belong to the "
                    + publicKey.getAlgorithm() + " certificate in " + cert);
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448
        };
        try {
            byte[] probe = "seldonj-webhook".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new InvalidPemException(keyFile + ": the key does not belong to the certificate in " + cert
                        + " (subject "
                        + ((X509Certificate) leaf).getSubjectX500Principal().getName() + ")");
            }
        } catch (GeneralSecurityException e) {
            throw new InvalidPemException(
                    keyFile + ": cannot be used with the certificate in " + cert + ": " + e.getMessage());
        }
    }
}
