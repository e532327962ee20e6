package dev.seldonj.controller.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority made at test time (no key is committed): a server certificate
 * for 127.0.0.1/localhost, client certificates, and private keys written in each PEM form that
 * Kubernetes tooling produces.
 */
public final class TestPki {

    /** The PEM forms of a private key found in kubeconfigs and TLS secrets. */
    public enum KeyFormat {
        /** {@code BEGIN RSA PRIVATE KEY}: openssl genrsa, Helm's genSignedCert. */
        RSA_PKCS1,
        /** {@code BEGIN PRIVATE KEY} holding an RSA key. */
        RSA_PKCS8,
        /** {@code BEGIN EC PRIVATE KEY}: kind, kubeadm. */
        EC_SEC1,
        /** {@code BEGIN EC PARAMETERS} then {@code BEGIN EC PRIVATE KEY}: openssl ecparam -genkey. */
        EC_SEC1_WITH_PARAMETERS,
        /** {@code BEGIN PRIVATE KEY} holding an EC key: k3s, cert-manager. */
        EC_PKCS8;

        public boolean ec() {
            return name().startsWith("EC");
        }
    }

    /** A key pair with its certificate. */
    public record Issued(KeyPair keys, X509Certificate certificate) {
        public String certificatePem() {
            return pem(certificate);
        }

        public String keyPem(KeyFormat format) {
            return TestPki.keyPem(keys.getPrivate(), format);
        }
    }

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final Issued ca;

    private TestPki(Issued ca) {
        this.ca = ca;
    }

    public static TestPki create() throws Exception {
        KeyPair keys = keyPair(true);
        X500Name name = new X500Name("CN=seldonj-test-ca");
        JcaX509v3CertificateBuilder builder = builder(name, name, keys);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.digitalSignature));
        return new TestPki(new Issued(keys, sign(builder, keys.getPrivate())));
    }

    public Issued ca() {
        return ca;
    }

    /** A server certificate for 127.0.0.1 and localhost. */
    public Issued server() throws Exception {
        KeyPair keys = keyPair(true);
        JcaX509v3CertificateBuilder builder = builder(caName(), new X500Name("CN=localhost"), keys);
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")
        }));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        return new Issued(keys, sign(builder, ca.keys().getPrivate()));
    }

    /** A client certificate for {@code user}, with an EC or RSA key. */
    public Issued client(String user, boolean ec) throws Exception {
        KeyPair keys = keyPair(ec);
        JcaX509v3CertificateBuilder builder = builder(caName(), new X500Name("CN=" + user + ",O=system:masters"), keys);
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        return new Issued(keys, sign(builder, ca.keys().getPrivate()));
    }

    /** A server-side SSLContext presenting {@code server}, trusting client certificates of this CA. */
    public SSLContext serverContext(Issued server) throws GeneralSecurityException, IOException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry("server", server.keys().getPrivate(), new char[0], new Certificate[] {
            server.certificate(), ca.certificate()
        });
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore, new char[0]);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    public static String keyPem(PrivateKey key, KeyFormat format) {
        return switch (format) {
            case RSA_PKCS1 -> pem(key); // BouncyCastle writes the "traditional" OpenSSL form
            case EC_SEC1 -> sec1(key);
            case EC_SEC1_WITH_PARAMETERS ->
                "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" + sec1(key);
            case RSA_PKCS8, EC_PKCS8 ->
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(key.getEncoded())
                        + "\n-----END PRIVATE KEY-----\n";
        };
    }

    /**
     * SEC1 as openssl writes it, the curve named inside the key. (The JDK's PKCS#8 encoding names the
     * curve only in the outer algorithm identifier, so BouncyCastle's writer would drop it.)
     */
    private static String sec1(PrivateKey key) {
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
            ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
            ECPrivateKey withCurve = new ECPrivateKey(
                    256, inner.getKey(), null, info.getPrivateKeyAlgorithm().getParameters());
            return "-----BEGIN EC PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(withCurve.getEncoded())
                    + "\n-----END EC PRIVATE KEY-----\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public static KeyPair keyPair(boolean ec) throws GeneralSecurityException {
        if (ec) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private X500Name caName() {
        return new X500Name(ca.certificate().getSubjectX500Principal().getName());
    }

    private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(
                issuer,
                BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(1, ChronoUnit.HOURS)),
                Date.from(now.plus(1, ChronoUnit.DAYS)),
                subject,
                keys.getPublic());
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, PrivateKey issuerKey) throws Exception {
        String algorithm = issuerKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
    }
}
