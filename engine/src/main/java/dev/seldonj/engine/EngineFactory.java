package dev.seldonj.engine;

import dev.seldonj.api.protocol.GrpcMessageBudget;
import dev.seldonj.engine.config.EngineConfig;
import dev.seldonj.engine.config.EngineSettings;
import dev.seldonj.engine.config.PredictorSource;
import dev.seldonj.engine.config.TracingSettings;
import dev.seldonj.engine.core.MemoryBudget;
import dev.seldonj.engine.net.NettyTransport;
import dev.seldonj.engine.server.GrpcRequestHeaders;
import io.grpc.BindableService;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The engine's beans. Micronaut owns configuration ({@link EngineSettings}) and the gRPC server's
 * lifecycle (micronaut-grpc builds it from the service beans below and runs health); the REST data
 * plane is the engine's own Netty server. Both servers and the component clients share one set of
 * event loops, so the gRPC server is moved onto them as it is built.
 */
@Factory
class EngineFactory {

    /**
     * grpc-java logs (java.util.logging, WARNING, with a stack trace) every inbound message it refuses, e.g. one over
     * the size limit: a client's error, answered with its status, which a client could otherwise repeat into the log
     * at will. Held here: java.util.logging keeps loggers weakly, and a collected one forgets its level.
     */
    private static final Logger GRPC_SERVER_STREAMS = quiet("io.grpc.netty.NettyServerStream");

    private static Logger quiet(String name) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(Level.SEVERE);
        return logger;
    }

    /** The settings checked and resolved once; everything else starts from this. */
    @Singleton
    EngineConfig config(EngineSettings settings) {
        return settings.toConfig();
    }

    @Singleton
    @Bean(preDestroy = "close")
    NettyTransport transport(EngineConfig config) {
        return new NettyTransport(config.eventLoopThreads());
    }

    @Singleton
    PredictorSource.Loaded predictor(EngineSettings settings, EngineConfig config) {
        return PredictorSource.load(settings, config);
    }

    @Singleton
    @Bean(preDestroy = "close")
    Engine engine(
            PredictorSource.Loaded predictor,
            NettyTransport transport,
            HealthStatusManager health,
            EngineSettings settings,
            TracingSettings tracing) {
        Engine engine = Engine.start(predictor, transport, tracing.toConfig(), settings.kafka());
        health.setStatus(
                engine.grpcService().bindService().getServiceDescriptor().getName(), ServingStatus.SERVING);
        return engine;
    }

    /** The graph's service, with the Seldon-Puid and header handling of {@link GrpcRequestHeaders}. */
    @Singleton
    @Named("graph")
    ServerServiceDefinition graphService(Engine engine) {
        return ServerInterceptors.intercept(
                engine.grpcService(),
                new GrpcRequestHeaders(),
                new GrpcMessageBudget(
                        MemoryBudget.global()::tryReserve,
                        MemoryBudget.global()::release,
                        () -> MemoryBudget.overloaded().getMessage()));
    }

    @Singleton
    @Named("reflection")
    BindableService reflection() {
        return ProtoReflectionServiceV1.newInstance();
    }

    /** v1alpha reflection, still what many clients (grpcurl before 1.9, ghz) ask for. */
    @Singleton
    @Named("reflection-v1alpha")
    @SuppressWarnings("deprecation")
    BindableService reflectionV1Alpha() {
        return ProtoReflectionService.newInstance();
    }

    /** Puts the gRPC server on the engine's event loops and applies the graph's message-size limit. */
    @Singleton
    static final class GrpcOnEngineLoops implements BeanCreatedEventListener<ServerBuilder<?>> {

        private final NettyTransport transport;
        private final Engine engine;

        GrpcOnEngineLoops(NettyTransport transport, Engine engine) {
            this.transport = transport;
            this.engine = engine;
        }

        @Override
        public ServerBuilder<?> onCreated(BeanCreatedEvent<ServerBuilder<?>> event) {
            if (event.getBean() instanceof NettyServerBuilder netty) {
                netty.bossEventLoopGroup(transport.group())
                        .workerEventLoopGroup(transport.group())
                        .channelType(transport.serverChannel())
                        .directExecutor()
                        .flowControlWindow(NettyTransport.GRPC_FLOW_CONTROL_WINDOW)
                        .maxInboundMessageSize(engine.config().grpcMaxMessageBytes())
                        // As the REST server's read timeouts: a connection that never completes its HTTP/2 preface is
                        // dropped,
                        // an idle one is sent GOAWAY (clients reconnect when they next call).
                        .handshakeTimeout(engine.config().limits().headerReadTimeoutMs(), TimeUnit.MILLISECONDS)
                        .maxConnectionIdle(engine.config().limits().idleTimeoutMs(), TimeUnit.MILLISECONDS);
            }
            return event.getBean();
        }
    }
}
