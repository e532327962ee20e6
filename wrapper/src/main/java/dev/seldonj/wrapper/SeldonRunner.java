package dev.seldonj.wrapper;

import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code main} of a wrapped component: reads the environment once, builds the component from its
 * parameters, serves it and stops cleanly on SIGTERM. A bad configuration ends the process with a
 * one-line message and exit code 2.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   SeldonRunner.run(params -> new MyModel(params.getDouble("threshold", 0.5)));
 * }
 * }</pre>
 */
public final class SeldonRunner {

    private static final Logger LOG = LoggerFactory.getLogger(SeldonRunner.class);

    private SeldonRunner() {}

    public static void run(Function<ComponentParameters, SeldonComponent> factory) {
        run(factory, System.getenv());
    }

    public static void run(Function<ComponentParameters, SeldonComponent> factory, Map<String, String> env) {
        long started = System.nanoTime();
        SeldonServer server;
        try {
            WrapperConfig config = WrapperConfig.fromEnv(env);
            SeldonComponent component = factory.apply(config.parameters());
            server = SeldonServer.start(component, config, WrapperLimits.fromEnv(env));
        } catch (RuntimeException e) {
            System.err.println("seldonj: cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "seldonj-shutdown"));
        LOG.info(
                "serving REST on {}, gRPC on {}, metrics on {} (ready in {} ms)",
                server.httpPort(),
                server.grpcPort(),
                server.metricsPort(),
                (System.nanoTime() - started) / 1_000_000);
        try {
            server.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
