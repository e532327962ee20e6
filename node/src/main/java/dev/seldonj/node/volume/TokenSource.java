package dev.seldonj.node.volume;

import java.time.Instant;
import java.util.List;

/** Issues service account tokens bound to a pod (the TokenRequest API). */
public interface TokenSource {

    /** A token and its lifetime. */
    record Token(String value, Instant issuedAt, Instant expiresAt) {

        /** Whether it is due for renewal, as kubelet decides: past 80 % of its life, or older than a day. */
        public boolean due(Instant now) {
            long life = expiresAt.getEpochSecond() - issuedAt.getEpochSecond();
            Instant renewAt = issuedAt.plusSeconds(Math.min(life * 8 / 10, 24 * 3600));
            return !now.isBefore(renewAt);
        }
    }

    Token request(
            String namespace,
            String serviceAccount,
            List<String> audiences,
            long expirationSeconds,
            String podName,
            String podUid);
}
