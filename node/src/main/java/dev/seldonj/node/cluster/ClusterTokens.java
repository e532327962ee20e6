package dev.seldonj.node.cluster;

import dev.seldonj.node.errors.NodeException;
import dev.seldonj.node.volume.TokenSource;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** Service account tokens from the TokenRequest API, bound to the pod (as kubelet requests them). */
public final class ClusterTokens implements TokenSource {

    private final KubernetesClient client;
    private final Clock clock;

    public ClusterTokens(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    @Override
    public Token request(
            String namespace,
            String serviceAccount,
            List<String> audiences,
            long expirationSeconds,
            String podName,
            String podUid) {
        TokenRequest request = new TokenRequestBuilder()
                .withNewSpec()
                .withAudiences(audiences)
                .withExpirationSeconds(expirationSeconds)
                .withNewBoundObjectRef()
                .withApiVersion("v1")
                .withKind("Pod")
                .withName(podName)
                .withUid(podUid)
                .endBoundObjectRef()
                .endSpec()
                .build();
        Instant issued = clock.instant();
        try {
            TokenRequest answer = client.serviceAccounts()
                    .inNamespace(namespace)
                    .withName(serviceAccount)
                    .tokenRequest(request);
            String expires = answer.getStatus().getExpirationTimestamp();
            Instant expiresAt = expires == null ? issued.plusSeconds(expirationSeconds) : Instant.parse(expires);
            return new Token(answer.getStatus().getToken(), issued, expiresAt);
        } catch (KubernetesClientException e) {
            throw new NodeException(
                    "token for service account " + namespace + "/" + serviceAccount + ": "
                            + (e.getStatus() != null && e.getStatus().getMessage() != null
                                    ? e.getStatus().getMessage()
                                    : e.getMessage()),
                    e);
        }
    }
}
