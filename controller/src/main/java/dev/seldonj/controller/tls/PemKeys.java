package dev.seldonj.controller.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads a private key from PEM text in every unencrypted form the tools in use write: PKCS#1
 * ({@code RSA PRIVATE KEY}, openssl genrsa, Helm's genSignedCert), SEC1 ({@code EC PRIVATE KEY},
 * possibly after an {@code EC PARAMETERS} block as {@code openssl ecparam -genkey} writes it) and
 * PKCS#8 ({@code PRIVATE KEY}: cert-manager, k3s, kubeadm's newer keys). The JDK alone reads only
 * PKCS#8, and fabric8 guesses the algorithm from the PEM header, so both the webhook and the
 * kubeconfig go through here. BouncyCastle only parses; the key objects come from the JDK's own
 * providers, so no provider is registered and the shaded jar's lost signatures do not matter.
 */
public final class PemKeys {

    /** JDK algorithm names by key OID (BouncyCastle's converter would say "ECDSA", which the JDK does not know). */
    private static final Map<ASN1ObjectIdentifier, String> ALGORITHMS = Map.of(
            PKCSObjectIdentifiers.rsaEncryption, "RSA",
            X9ObjectIdentifiers.id_ecPublicKey, "EC",
            EdECObjectIdentifiers.id_Ed25519, "Ed25519",
            EdECObjectIdentifiers.id_Ed448, "Ed448");

    private PemKeys() {}

    /** The first private key in {@code pem}; {@code source} names where it came from in errors. */
    public static PrivateKey read(String pem, String source) throws InvalidPemException {
        try (Reader reader = new StringReader(pem);
                PEMParser parser = new PEMParser(reader)) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof PEMKeyPair pair) {
                    return toKey(pair.getPrivateKeyInfo(), source);
                }
                if (item instanceof PrivateKeyInfo info) {
                    return toKey(info, source);
                }
                if (item instanceof PEMEncryptedKeyPair || item instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new InvalidPemException(
                            source + ": the private key is encrypted; an unencrypted key is needed");
                }
            }
        } catch (InvalidPemException e) {
            throw e;
        } catch (PEMException e) {
            throw new InvalidPemException(source + ": not a readable private key: " + firstLine(e.getMessage()));
        } catch (IOException e) {
            throw new InvalidPemException(source + ": not valid PEM: " + firstLine(e.getMessage()));
        }
        throw new InvalidPemException(source + ": no private key found (expected a PEM block such as "
                + "'BEGIN PRIVATE KEY', 'BEGIN RSA PRIVATE KEY' or 'BEGIN EC PRIVATE KEY')");
    }

    private static PrivateKey toKey(PrivateKeyInfo info, String source) throws IOException {
        ASN1ObjectIdentifier oid = info.getPrivateKeyAlgorithm().getAlgorithm();
        String algorithm = ALGORITHMS.get(oid);
        if (algorithm == null) {
            throw new InvalidPemException(
                    source + ": unsupported key algorithm " + oid + " (RSA or EC keys are supported)");
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new InvalidPemException(
                    source + ": not a readable " + algorithm + " key: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** A PEM text that is not what it should be; the message names the source. */
    public static final class InvalidPemException extends IOException {
        public InvalidPemException(String message) {
            super(message);
        }
    }
}
