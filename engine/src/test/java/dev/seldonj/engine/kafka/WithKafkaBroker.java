package dev.seldonj.engine.kafka;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One real broker, and a client of it, shared by the ITs of a class: started before them, stopped after. */
abstract class WithKafkaBroker {

    static KafkaBroker broker;
    static KafkaClient client;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start();
        client = new KafkaClient(broker);
    }

    @AfterAll
    static void stopBroker() {
        if (client != null) {
            client.close();
        }
        if (broker != null) {
            broker.close();
        }
    }
}
