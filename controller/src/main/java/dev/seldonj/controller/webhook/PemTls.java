package dev.seldonj.controller.webhook;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * An SSLContext from the {@code tls.crt} / {@code tls.key} pair of a mounted kubernetes.io/tls
 * secret: certificate chain in PEM, key in PKCS#1, PKCS#8 or SEC1 (EC) PEM, as cert-manager or
 * openssl write them.
 */
public final class PemTls {

  public static final String CERT_FILE = "tls.crt";
  public static final String KEY_FILE = "tls.key";

  private PemTls() {}

  public static SSLContext fromDirectory(Path certDir) throws IOException, GeneralSecurityException {
    Path cert = certDir.resolve(CERT_FILE);
    Path key = certDir.resolve(KEY_FILE);
    if (!Files.isReadable(cert) || !Files.isReadable(key)) {
      throw new IOException("webhook certificate not found: expected " + cert + " and " + key
          + " (the mounted TLS secret)");
    }
    List<Certificate> chain = new ArrayList<>();
    try (var in = Files.newInputStream(cert)) {
      chain.addAll(CertificateFactory.getInstance("X.509").generateCertificates(in));
    }
    if (chain.isEmpty()) {
      throw new IOException(cert + " holds no certificate");
    }
    PrivateKey privateKey = readKey(key);
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    char[] password = new char[0];
    store.setKeyEntry("webhook", privateKey, password, chain.toArray(Certificate[]::new));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    return context;
  }

  private static PrivateKey readKey(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
        if (item instanceof PEMKeyPair pair) {
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        if (item instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
      }
    }
    throw new IOException(file + " holds no private key");
  }
}
