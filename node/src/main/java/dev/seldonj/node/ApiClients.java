package dev.seldonj.node;

import dev.seldonj.node.errors.NodeException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** API server clients from a kubeconfig. */
public final class ApiClients {

    private ApiClients() {}

    /**
     * A client from the kubeconfig, after one request proved the API server answers.
     *
     * @throws NodeException saying why not (unreadable kubeconfig, unreachable server), in one line
     */
    public static KubernetesClient connect(Path kubeconfig) {
        Config config;
        try {
            config = Config.fromKubeconfig(Files.readString(kubeconfig));
        } catch (IOException | RuntimeException e) {
            throw new NodeException("--kubeconfig " + kubeconfig + ": " + rootMessage(e));
        }
        ClientKeys.fixAlgorithm(config);
        config.setConnectionTimeout(5_000);
        config.setRequestRetryBackoffLimit(1);
        KubernetesClient client;
        try {
            client = new KubernetesClientBuilder().withConfig(config).build();
        } catch (KubernetesClientException e) {
            throw new NodeException("--kubeconfig " + kubeconfig + ": " + rootMessage(e));
        }
        try {
            client.getKubernetesVersion();
            return client;
        } catch (KubernetesClientException e) {
            client.close();
            throw new NodeException("cannot reach the API server at " + config.getMasterUrl() + ": " + rootMessage(e));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
