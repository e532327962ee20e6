package dev.seldonj.engine.config;

import dev.seldonj.api.model.Protocol;
import dev.seldonj.api.model.Transport;
import java.nio.file.Path;
import java.util.Set;

/**
 * Everything the engine is configured with, resolved once at start-up from {@link EngineSettings}
 * (which holds the defaults and is bound by Micronaut from the flags) and the pod annotations
 * ({@link PodAnnotations}).
 *
 * @param deploymentName SeldonDeployment name (metrics label {@code deployment_name})
 * @param namespace namespace of the deployment
 * @param predictorName predictor to run (metrics label {@code predictor_name})
 * @param file a SeldonDeployment file to read the predictor from instead of {@code ENGINE_PREDICTOR}
 * @param httpPort external REST port (0 picks a free port)
 * @param grpcPort external gRPC port (0 picks a free port)
 * @param protocol wire protocol of the graph: seldon, tensorflow or v2 (kfserving is an alias of v2)
 * @param transport default transport of nodes without an endpoint type
 * @param prometheusPath path of the Prometheus scrape endpoint on the HTTP port
 * @param annotationsPath downward-API file holding the pod annotations
 * @param restTimeoutMs per-call timeout of REST component calls ({@code seldon.io/rest-timeout})
 * @param grpcTimeoutMs per-call deadline of gRPC component calls ({@code seldon.io/grpc-timeout})
 * @param grpcMaxMessageBytes largest gRPC message sent or received ({@code seldon.io/grpc-max-message-size})
 * @param maxBodyBytes largest REST body accepted from clients and from components
 * @param connectTimeoutMs TCP connect timeout to components
 * @param eventLoopThreads Netty event-loop threads shared by the servers and the component clients
 * @param formEncodedNodes nodes (or {@code *}) whose REST calls send the body as form field {@code json=}
 * @param cors browser origins and headers allowed ({@code CORS_ALLOWED_ORIGINS}, {@code CORS_ALLOWED_HEADERS})
 * @param payloadLogger payload logging: default sink, event source, queue bounds
 * @param limits the memory budget for bodies and the servers' read timeouts
 */
public record EngineConfig(
        String deploymentName,
        String namespace,
        String predictorName,
        Path file,
        int httpPort,
        int grpcPort,
        Protocol protocol,
        Transport transport,
        String prometheusPath,
        Path annotationsPath,
        long restTimeoutMs,
        long grpcTimeoutMs,
        int grpcMaxMessageBytes,
        int maxBodyBytes,
        int connectTimeoutMs,
        int eventLoopThreads,
        Set<String> formEncodedNodes,
        CorsPolicy cors,
        PayloadLoggerConfig payloadLogger,
        ServerLimits limits) {

    /** The defaults, as {@link EngineSettings} declares them. */
    public static final EngineConfig DEFAULTS = new EngineSettings().toConfig();

    public boolean isV2() {
        return protocol == Protocol.V2 || protocol == Protocol.KFSERVING;
    }

    public boolean isTensorflow() {
        return protocol == Protocol.TENSORFLOW;
    }

    public boolean formEncoded(String node) {
        return formEncodedNodes.contains("*") || formEncodedNodes.contains(node);
    }

    public EngineConfig withPorts(int http, int grpc) {
        return new EngineConfig(
                deploymentName,
                namespace,
                predictorName,
                file,
                http,
                grpc,
                protocol,
                transport,
                prometheusPath,
                annotationsPath,
                restTimeoutMs,
                grpcTimeoutMs,
                grpcMaxMessageBytes,
                maxBodyBytes,
                connectTimeoutMs,
                eventLoopThreads,
                formEncodedNodes,
                cors,
                payloadLogger,
                limits);
    }

    public EngineConfig withPayloadLogger(PayloadLoggerConfig logger) {
        return new EngineConfig(
                deploymentName,
                namespace,
                predictorName,
                file,
                httpPort,
                grpcPort,
                protocol,
                transport,
                prometheusPath,
                annotationsPath,
                restTimeoutMs,
                grpcTimeoutMs,
                grpcMaxMessageBytes,
                maxBodyBytes,
                connectTimeoutMs,
                eventLoopThreads,
                formEncodedNodes,
                cors,
                logger,
                limits);
    }

    /** Applies the {@code seldon.io/*} pod annotations the engine honours. */
    public EngineConfig withAnnotations(PodAnnotations a) {
        return new EngineConfig(
                deploymentName,
                namespace,
                predictorName,
                file,
                httpPort,
                grpcPort,
                protocol,
                transport,
                prometheusPath,
                annotationsPath,
                a.positiveLong(PodAnnotations.REST_TIMEOUT, restTimeoutMs),
                a.positiveLong(PodAnnotations.GRPC_TIMEOUT, grpcTimeoutMs),
                withinBudget(a.positiveLong(PodAnnotations.GRPC_MAX_MESSAGE_SIZE, grpcMaxMessageBytes), limits),
                withinBudget(a.positiveLong(PodAnnotations.REST_MAX_BODY, maxBodyBytes), limits),
                connectTimeoutMs,
                eventLoopThreads,
                a.csv(PodAnnotations.REST_FORM_NODES, formEncodedNodes),
                cors,
                payloadLogger.withAnnotations(a),
                limits);
    }

    /**
     * A body or message limit no larger than the memory budget: one larger than the whole budget could never be
     * held, and reading it would only exhaust memory first.
     */
    static int withinBudget(long limit, ServerLimits limits) {
        return (int) Math.min(Integer.MAX_VALUE, Math.min(limit, limits.memoryBudgetBytes()));
    }
}
