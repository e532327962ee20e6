package dev.seldonj.compat;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The same Python class started under both wrappers, Seldon's ({@link PythonWrapper#SELDON}) and ours
 * ({@link PythonWrapper#SELDONJ}), with the same interface name, service type, unit id, image, parameters,
 * environment and flags (only the ports differ), and a gRPC channel to each. {@link #close()} stops both.
 */
final class WrapperTwins implements AutoCloseable {

    /**
     * The wrapper compared with Seldon's: ours, unless the system property {@code seldonj.parity.ours} names
     * another ({@code -Dseldonj.parity.ours=SELDON} compares Seldon's wrapper with itself, which proves that
     * the parity tests are deterministic and that their expectations of Seldon's answers are right).
     */
    static final PythonWrapper OURS = PythonWrapper.valueOf(System.getProperty("seldonj.parity.ours", "SELDONJ"));

    final PythonMicroservice seldon;
    final PythonMicroservice ours;
    final ManagedChannel seldonChannel;
    final ManagedChannel oursChannel;

    private WrapperTwins(PythonMicroservice seldon, PythonMicroservice ours) {
        this.seldon = seldon;
        this.ours = ours;
        this.seldonChannel = ManagedChannelBuilder.forTarget(seldon.grpcEndpoint())
                .usePlaintext()
                .build();
        this.oursChannel = ManagedChannelBuilder.forTarget(ours.grpcEndpoint())
                .usePlaintext()
                .build();
    }

    /**
     * Starts {@code interfaceName} under both wrappers, configured alike by {@code config} (applied to each
     * wrapper's builder), unit {@code node} and image {@code seldonj/compat-twin:1.2} unless it says otherwise.
     * Both start at once; if either fails, the other is stopped and the failure names the wrapper.
     */
    static WrapperTwins start(String interfaceName, UnaryOperator<PythonMicroservice.Builder> config) {
        return start(interfaceName, config, config);
    }

    /**
     * As {@link #start(String, UnaryOperator)}, each wrapper configured by its own function (for the few
     * documented cases where the two must be started differently).
     */
    static WrapperTwins start(
            String interfaceName,
            UnaryOperator<PythonMicroservice.Builder> seldonConfig,
            UnaryOperator<PythonMicroservice.Builder> oursConfig) {
        UnaryOperator<PythonMicroservice.Builder> config = seldonConfig;
        CompatEnvironment env = CompatEnvironment.current();
        PythonWrapper.SELDON.requireMicroservice(env.requireVenv());
        OURS.requireMicroservice(env);
        CompletableFuture<PythonMicroservice> seldon =
                CompletableFuture.supplyAsync(() -> config.apply(PythonMicroservice.builder(interfaceName)
                                .unitId("node")
                                .image("seldonj/compat-twin:1.2")
                                .wrapper(PythonWrapper.SELDON))
                        .wrapper(PythonWrapper.SELDON)
                        .start());
        CompletableFuture<PythonMicroservice> ours = CompletableFuture.supplyAsync(() -> oursConfig
                .apply(PythonMicroservice.builder(interfaceName)
                        .unitId("node")
                        .image("seldonj/compat-twin:1.2")
                        .wrapper(OURS))
                .wrapper(OURS)
                .start());
        try {
            return new WrapperTwins(seldon.join(), ours.join());
        } catch (CompletionException e) {
            seldon.thenAccept(PythonMicroservice::close);
            ours.thenAccept(PythonMicroservice::close);
            CompletableFuture.allOf(seldon, ours).exceptionally(x -> null).join();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    static WrapperTwins start(String interfaceName) {
        return start(interfaceName, b -> b);
    }

    @Override
    public void close() {
        try {
            seldonChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            oursChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                seldon.close();
            } finally {
                ours.close();
            }
        }
    }
}
