package dev.seldonj.controller.app;

import dev.seldonj.controller.tls.PemKeys;
import dev.seldonj.controller.tls.PemKeys.InvalidPemException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.internal.CertUtils;
import io.fabric8.kubernetes.client.utils.Utils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's Kubernetes client, configured the usual fabric8 way (in-cluster service account,
 * {@code KUBECONFIG} or {@code ~/.kube/config}, {@code KUBERNETES_MASTER}; tokens, client
 * certificates, auth providers and exec plugins as fabric8 supports them), with one repair: fabric8
 * picks the client key's algorithm from the PEM header and assumes RSA when the header does not say
 * ({@code BEGIN PRIVATE KEY}, i.e. PKCS#8, as k3s writes its EC keys), which fails with "Invalid DER:
 * object is not integer"; it also reads only the first PEM block, so an {@code EC PARAMETERS} block
 * before the key breaks it. The key is therefore read here (any of PKCS#1, SEC1, PKCS#8) and handed to
 * fabric8 as PKCS#8 with its real algorithm.
 */
public final class KubeClients {

    private static final Logger LOG = LoggerFactory.getLogger(KubeClients.class);

    /** Also the field manager the API server records for the controller's non-apply writes (status, events). */
    static final String USER_AGENT = "seldonj-controller";

    private KubeClients() {}

    /** A client from the environment, as the operator runs. */
    public static KubernetesClient fromEnvironment() {
        Config config;
        try {
            config = Config.autoConfigure(null);
        } catch (RuntimeException e) {
            // fabric8 names neither the file nor the line of a kubeconfig it cannot parse.
            throw new StartupFailure("cannot read the kubeconfig "
                    + Utils.getSystemPropertyOrEnvVar(Config.KUBERNETES_KUBECONFIG_FILE, "~/.kube/config") + ": "
                    + StartupErrors.cause(e));
        }
        return create(config);
    }

    static KubernetesClient create(Config config) {
        useReadableClientKey(config);
        config.setUserAgent(USER_AGENT);
        LOG.info(
                "Kubernetes API server {} ({})",
                config.getMasterUrl(),
                config.getFile() != null
                        ? "kubeconfig " + config.getFile()
                                + (config.getCurrentContext() == null
                                        ? ""
                                        : ", context "
                                                + config.getCurrentContext().getName())
                        : "no kubeconfig: in-cluster service account or KUBERNETES_MASTER");
        try {
            return new KubernetesClientBuilder().withConfig(config).build();
        } catch (KubernetesClientException e) {
            // The TLS material (CA, client certificate) is read here.
            throw new StartupFailure(
                    "Kubernetes client configuration" + kubeconfig(config) + ": " + StartupErrors.cause(e));
        }
    }

    /** Replaces the configured client key by the same key as PKCS#8 PEM, with fabric8's algorithm hint set to match. */
    static void useReadableClientKey(Config config) {
        String data = config.getClientKeyData();
        String file = config.getClientKeyFile();
        if (isEmpty(data) && isEmpty(file)) {
            return;
        }
        String source = !isEmpty(data) ? "client-key-data" + kubeconfig(config) : file;
        String pem;
        try (InputStream in = CertUtils.getInputStreamFromDataOrFile(data, file)) {
            pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new StartupFailure("client key " + source + ": cannot be read: " + StartupErrors.cause(e));
        }
        PrivateKey key;
        try {
            key = PemKeys.read(pem, source);
        } catch (InvalidPemException e) {
            throw new StartupFailure("client key " + e.getMessage());
        }
        if (!key.getAlgorithm().equals("RSA") && !key.getAlgorithm().equals("EC")) {
            throw new StartupFailure("client key " + source + ": " + key.getAlgorithm()
                    + " keys are not supported by the Kubernetes client; use an RSA or EC key");
        }
        String pkcs8 = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        config.setClientKeyData(Base64.getEncoder().encodeToString(pkcs8.getBytes(StandardCharsets.US_ASCII)));
        config.setClientKeyFile(null);
        config.setClientKeyAlgo(key.getAlgorithm());
    }

    private static String kubeconfig(Config config) {
        return config.getFile() == null ? "" : " in " + config.getFile();
    }

    private static boolean isEmpty(String value) {
        return value == null || value.isEmpty();
    }
}
