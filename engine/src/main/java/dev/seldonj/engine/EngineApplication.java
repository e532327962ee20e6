package dev.seldonj.engine;

import dev.seldonj.engine.config.EngineCommand;
import dev.seldonj.engine.config.EngineConfig;
import io.micronaut.context.ApplicationContext;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The engine as a Micronaut application: a context configured from properties (the flags, see
 * {@link EngineCommand#properties()}), the {@link Engine} bean serving REST, and micronaut-grpc's server.
 * {@link EngineMain} runs it as a process; tests start it in-process exactly the same way.
 */
public final class EngineApplication implements AutoCloseable {

    private final ApplicationContext context;
    private final Engine engine;
    private final GrpcEmbeddedServer grpc;

    private EngineApplication(ApplicationContext context, Engine engine, GrpcEmbeddedServer grpc) {
        this.context = context;
        this.engine = engine;
        this.grpc = grpc;
    }

    /**
     * Starts the engine; throws the first meaningful cause (a bad setting, an invalid graph, a port in
     * use) rather than Micronaut's bean-creation wrapper.
     */
    public static EngineApplication start(Map<String, ?> properties) {
        Map<String, Object> all = new LinkedHashMap<>(properties);
        // micronaut-grpc binds its port from its own key; the engine's setting (and its default) decide it.
        all.putIfAbsent(
                "grpc.server.port",
                all.getOrDefault(EngineCommand.propertyOf("grpc_port"), EngineConfig.DEFAULTS.grpcPort()));
        all.putIfAbsent("micronaut.application.name", "seldonj-engine");
        ApplicationContext context = ApplicationContext.builder()
                .properties(all)
                // Env vars are mapped explicitly (EngineMain): Micronaut's own mapping would turn
                // ENGINE_PREDICTOR into engine.predictor, the --predictor flag.
                .environmentPropertySource(false)
                .deduceEnvironment(false)
                // No bootstrap property sources (config servers) here: skips looking for their locator.
                .bootstrapEnvironment(false)
                .build();
        try {
            context.start();
            Engine engine = context.getBean(Engine.class);
            GrpcEmbeddedServer grpc = context.getBean(GrpcEmbeddedServer.class);
            try {
                grpc.start();
            } catch (RuntimeException e) {
                throw new IllegalStateException(
                        "cannot start the gRPC server on port "
                                + context.getRequiredProperty("grpc.server.port", Integer.class) + ": "
                                + ownCause(e).getMessage(),
                        e);
            }
            return new EngineApplication(context, engine, grpc);
        } catch (RuntimeException e) {
            context.close();
            throw ownCause(e) instanceof RuntimeException own ? own : e;
        }
    }

    /** The first cause that is not one of Micronaut's wrappers: the engine's own message. */
    private static Throwable ownCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getClass().getName().startsWith("io.micronaut.")) {
            t = t.getCause();
        }
        return t;
    }

    public Engine engine() {
        return engine;
    }

    public int httpPort() {
        return engine.httpPort();
    }

    public int grpcPort() {
        return grpc.getPort();
    }

    public ApplicationContext context() {
        return context;
    }

    /** Stops taking gRPC calls (in-flight ones finish), then closes the REST server, the clients and the loops. */
    @Override
    public void close() {
        grpc.stop();
        context.close();
    }
}
