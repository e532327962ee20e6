package dev.seldonj.engine.config;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/** The settings every Kafka client of the engine shares: the broker, the security settings, quick reconnects. */
public final class KafkaClients {

    private KafkaClients() {}

    /**
     * @param broker bootstrap servers, {@code host:port[,host:port...]}
     * @param security client properties from Seldon's security variables ({@link KafkaConfig})
     * @param clientId names the client in the broker's logs and metrics
     */
    public static Map<String, Object> common(String broker, Map<String, String> security, String clientId) {
        Map<String, Object> p = new HashMap<>(security);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker);
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        // A broker that restarts is found again within a second, not after the default back-off of up to 1 s doubling
        // to 10 s.
        p.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        return p;
    }
}
