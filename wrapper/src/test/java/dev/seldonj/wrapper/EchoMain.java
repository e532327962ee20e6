package dev.seldonj.wrapper;

/** A wrapped echo component as its own process (the heap and the environment are the test's to choose). */
public final class EchoMain {

    private EchoMain() {}

    public static void main(String[] args) {
        SeldonRunner.run(params -> new SeldonComponent() {
            @Override
            public io.seldon.protos.PredictionProtos.SeldonMessage predict(
                    io.seldon.protos.PredictionProtos.SeldonMessage request) {
                return Payloads.passThrough(request);
            }
        });
    }
}
