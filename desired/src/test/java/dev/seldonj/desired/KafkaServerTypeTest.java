package dev.seldonj.desired;

import static dev.seldonj.desired.Fixtures.container;
import static dev.seldonj.desired.Fixtures.env;
import static dev.seldonj.desired.Fixtures.named;
import static dev.seldonj.desired.Fixtures.render;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code serverType: kafka} renders as Seldon's operator renders it: the engine gets {@code --server_type kafka}
 * and the predictor's {@code svcOrchSpec.env} (the KAFKA_* variables the webhook requires), nothing else changes.
 */
class KafkaServerTypeTest {

    private static final String KAFKA = """
      apiVersion: machinelearning.seldon.io/v1
      kind: SeldonDeployment
      metadata: {name: streamer, namespace: models}
      spec:
        serverType: kafka
        transport: grpc
        predictors:
        - name: default
          graph: {name: classifier, type: MODEL}
          componentSpecs:
          - spec:
              containers:
              - {name: classifier, image: seldonio/mock_classifier:1.18.2}
          svcOrchSpec:
            env:
            - {name: KAFKA_BROKER, value: "kafka-bootstrap.kafka:9092"}
            - {name: KAFKA_INPUT_TOPIC, value: cifar10-rest-input}
            - {name: KAFKA_OUTPUT_TOPIC, value: cifar10-rest-output}
            - {name: KAFKA_WORKERS, value: "8"}
            - {name: LOGGER_KAFKA_BROKER, value: "kafka-bootstrap.kafka:9092"}
      """;

    @Test
    void theEngineGetsServerTypeKafkaAndTheKafkaVariables() {
        Container engine = container(
                named(render(KAFKA), Deployment.class, "streamer-default-0-classifier"), "seldon-container-engine");
        List<String> args = engine.getArgs();
        assertThat(args.get(args.indexOf("--server_type") + 1)).isEqualTo("kafka");
        assertThat(args.get(args.indexOf("--transport") + 1)).isEqualTo("grpc");
        assertThat(env(engine, "KAFKA_BROKER")).isEqualTo("kafka-bootstrap.kafka:9092");
        assertThat(env(engine, "KAFKA_INPUT_TOPIC")).isEqualTo("cifar10-rest-input");
        assertThat(env(engine, "KAFKA_OUTPUT_TOPIC")).isEqualTo("cifar10-rest-output");
        assertThat(env(engine, "KAFKA_WORKERS")).isEqualTo("8");
        assertThat(env(engine, "LOGGER_KAFKA_BROKER")).isEqualTo("kafka-bootstrap.kafka:9092");
        // REST and gRPC are still served (health, metrics, predictions), as Seldon's executor does.
        assertThat(engine.getPorts()).extracting(p -> p.getName()).containsExactly("http", "grpc");
        assertThat(engine.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
    }

    @Test
    void rpcIsTheDefault() {
        Container engine = container(
                named(
                        render(KAFKA.replace("  serverType: kafka\n", "")),
                        Deployment.class,
                        "streamer-default-0-classifier"),
                "seldon-container-engine");
        assertThat(engine.getArgs().get(engine.getArgs().indexOf("--server_type") + 1))
                .isEqualTo("rpc");
    }
}
