package dev.seldonj.wrapper;

import io.seldon.protos.PredictionProtos.SeldonMessage;

/** A wrapped echo component as its own process (the heap and the environment are the test's to choose). */
public final class EchoMain {

    private EchoMain() {}

    public static void main(String[] args) {
        SeldonRunner.run(params -> new SeldonComponent() {
            @Override
            public SeldonMessage predict(SeldonMessage request) {
                return Payloads.passThrough(request);
            }
        });
    }
}
