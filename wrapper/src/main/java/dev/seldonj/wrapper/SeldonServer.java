package dev.seldonj.wrapper;

import dev.seldonj.api.protocol.GrpcMessageBudget;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running component: REST, gRPC and metrics servers around one {@link SeldonComponent}. Start it
 * with {@link #start}; {@link #close} stops all three. Ports 0 in the configuration are resolved to
 * the ports actually bound.
 */
public final class SeldonServer implements AutoCloseable {

    private final ExecutorService workers;
    private final ExecutorService metricsExecutor;
    private final NettyLoops loops;
    private final RestServer rest;
    private final Server grpc;
    private final RestServer metricsServer;
    private final CustomMetrics metrics;
    private final WrapperTracing tracing;

    private SeldonServer(SeldonComponent component, WrapperConfig config, WrapperLimits limits, WrapperTracing tracing)
            throws IOException {
        this.metrics = new CustomMetrics(config);
        this.tracing = tracing;
        ComponentService service = new ComponentService(component, config, metrics);
        workers = Executors.newFixedThreadPool(config.workerThreads(), daemonThreads("seldonj-worker"));
        metricsExecutor = Executors.newSingleThreadExecutor(daemonThreads("seldonj-metrics"));
        loops = new NettyLoops();
        BodyBudget budget = new BodyBudget(limits.maxInflightBodyBytes()); // REST bodies and gRPC messages alike
        RestServer restServer = null;
        RestServer metricsRest = null;
        Server grpcServer = null;
        try {
            restServer = new RestServer(
                    loops,
                    config.httpPort(),
                    new RestRoutes(service, tracing),
                    workers,
                    config.workerThreads(),
                    budget,
                    limits);
            metricsRest = new RestServer(
                    loops,
                    config.metricsPort(),
                    new MetricsServer(config.metricsPath(), metrics),
                    metricsExecutor,
                    1,
                    budget,
                    limits);
            // Seldon's wrapper takes any size; a message larger than a quarter of the heap would rather exhaust it
            // (it is held, parsed and copied) than be served, so it is refused on arrival (RESOURCE_EXHAUSTED), for
            // that call only. Connections that stall in the handshake, idle ones and too-eager pings are let go.
            NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(config.grpcPort()))
                    .executor(workers)
                    .maxInboundMessageSize(limits.maxBodyBytes())
                    .maxInboundMetadataSize(limits.maxHeaderBytes())
                    .handshakeTimeout(limits.headerReadTimeoutMs(), TimeUnit.MILLISECONDS)
                    .maxConnectionIdle(limits.idleTimeoutMs(), TimeUnit.MILLISECONDS)
                    .permitKeepAliveTime(limits.grpcPermitKeepAliveMs(), TimeUnit.MILLISECONDS)
                    .permitKeepAliveWithoutCalls(true);
            // gRPC messages take from the same budget as REST bodies.
            GrpcMessageBudget grpcBudget = new GrpcMessageBudget(
                    budget::tryTake,
                    budget::giveBack,
                    () -> "SERVER_BUSY: the "
                            + "server holds too many request bodies at once to take this message ("
                            + limits.maxInflightBodyBytes()
                            + " bytes, SELDONJ_MAX_INFLIGHT_BODY_BYTES); retry later");
            for (ServerServiceDefinition s : GrpcServices.of(service)) {
                builder.addService(tracing.intercept(ServerInterceptors.intercept(s, grpcBudget)));
            }
            grpcServer = builder.build().start();
        } catch (IOException | RuntimeException e) {
            if (restServer != null) {
                restServer.close();
            }
            if (metricsRest != null) {
                metricsRest.close();
            }
            loops.close();
            if (grpcServer != null) {
                grpcServer.shutdownNow();
            }
            workers.shutdownNow();
            metricsExecutor.shutdownNow();
            tracing.close();
            throw e;
        }
        this.rest = restServer;
        this.metricsServer = metricsRest;
        this.grpc = grpcServer;
    }

    /** Binds the three ports and serves {@code component} with the limits of the environment; fails if a port is taken. */
    public static SeldonServer start(SeldonComponent component, WrapperConfig config) {
        return start(component, config, WrapperLimits.fromEnv(System.getenv()));
    }

    /** As {@link #start(SeldonComponent, WrapperConfig)} with the given limits, tracing as the environment says. */
    public static SeldonServer start(SeldonComponent component, WrapperConfig config, WrapperLimits limits) {
        return start(component, config, limits, WrapperTracing.fromEnv(System.getenv(), config));
    }

    /** As {@link #start(SeldonComponent, WrapperConfig)}, tracing calls as {@code tracing} says (docs/tracing.md). */
    public static SeldonServer start(SeldonComponent component, WrapperConfig config, WrapperTracing tracing) {
        return start(component, config, WrapperLimits.fromEnv(System.getenv()), tracing);
    }

    /** Binds the three ports and serves {@code component}; fails if a port is taken. */
    public static SeldonServer start(
            SeldonComponent component, WrapperConfig config, WrapperLimits limits, WrapperTracing tracing) {
        try {
            return new SeldonServer(component, config, limits, tracing);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot start the component's servers (HTTP " + config.httpPort() + ", gRPC " + config.grpcPort()
                            + ", metrics " + config.metricsPort() + "): " + e.getMessage(),
                    e);
        }
    }

    public int httpPort() {
        return rest.port();
    }

    public int grpcPort() {
        return grpc.getPort();
    }

    public int metricsPort() {
        return metricsServer.port();
    }

    public CustomMetrics metrics() {
        return metrics;
    }

    /** Blocks until the gRPC server terminates (after {@link #close} or a shutdown hook). */
    public void awaitTermination() throws InterruptedException {
        grpc.awaitTermination();
    }

    @Override
    public void close() {
        metricsServer.close();
        rest.close();
        loops.close();
        grpc.shutdown();
        try {
            if (!grpc.awaitTermination(5, TimeUnit.SECONDS)) {
                grpc.shutdownNow();
            }
        } catch (InterruptedException e) {
            grpc.shutdownNow();
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
        metricsExecutor.shutdownNow();
        tracing.close();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
