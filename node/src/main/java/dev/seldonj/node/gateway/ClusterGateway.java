package dev.seldonj.node.gateway;

import dev.seldonj.local.gateway.Gateway;
import dev.seldonj.local.gateway.Routes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The test cluster's stand-in for Emissary (which needs Envoy, absent here): the local runner's
 * gateway, REST and gRPC on one port, routing by what is in the API server. Informers on every
 * namespace's Mappings, Services and EndpointSlices feed a rebuild of the routes (at most one per
 * {@link #COALESCE}), which is swapped in whole; requests read the current routes once and never
 * wait for a rebuild. Upstreams are the ready pods' addresses, never a ClusterIP.
 *
 * <p>Mappings are watched as {@code getambassador.io/v3alpha1}, the version the controller writes.
 * A Mapping created as {@code v2} is served through v3alpha1 too (the same CRD; the fields routing
 * reads have the same names in both), so one informer sees both without duplicates.
 */
public final class ClusterGateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterGateway.class);

    static final ResourceDefinitionContext MAPPINGS = new ResourceDefinitionContext.Builder()
            .withGroup("getambassador.io")
            .withVersion("v3alpha1")
            .withKind("Mapping")
            .withPlural("mappings")
            .withNamespaced(true)
            .build();
    /** How often, at most, the routes are rebuilt while objects change. */
    static final Duration COALESCE = Duration.ofMillis(100);
    /** How long {@link #start} waits for the informers' first lists before serving what it has. */
    static final Duration SYNC_TIMEOUT = Duration.ofSeconds(30);

    private final List<SharedIndexInformer<? extends HasMetadata>> informers;
    private final Coalescer rebuilds;
    private final AtomicReference<Routes> routes;
    private final Gateway gateway;

    private ClusterGateway(
            List<SharedIndexInformer<? extends HasMetadata>> informers,
            Coalescer rebuilds,
            AtomicReference<Routes> routes,
            Gateway gateway) {
        this.informers = informers;
        this.rebuilds = rebuilds;
        this.routes = routes;
        this.gateway = gateway;
    }

    /**
     * Starts the informers, waits (at most {@link #SYNC_TIMEOUT}) for their first lists, builds the
     * routes and opens the gateway on {@code 127.0.0.1:port}.
     *
     * @param port REST and gRPC port (0 picks a free one, see {@link #port()})
     * @throws UncheckedIOException if the port cannot be opened
     */
    public static ClusterGateway start(KubernetesClient client, int port) {
        return start(client, port, new Random());
    }

    /** As {@link #start(KubernetesClient, int)}, with the source of traffic-split decisions (seed it to reproduce them). */
    public static ClusterGateway start(KubernetesClient client, int port, Random random) {
        RouteCompiler compiler = new RouteCompiler(random, LOG::warn);
        AtomicReference<Routes> routes = new AtomicReference<>(compiler.compile(List.of(), List.of(), List.of()));
        SharedIndexInformer<GenericKubernetesResource> mappings =
                client.genericKubernetesResources(MAPPINGS).inAnyNamespace().runnableInformer(0);
        SharedIndexInformer<Service> services =
                client.services().inAnyNamespace().runnableInformer(0);
        SharedIndexInformer<EndpointSlice> slices =
                client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0);
        List<SharedIndexInformer<? extends HasMetadata>> informers = List.of(mappings, services, slices);

        Rebuild rebuild = new Rebuild(compiler, routes, mappings, services, slices);
        Coalescer rebuilds = new Coalescer("cluster-gateway-routes", COALESCE, rebuild);
        try {
            for (SharedIndexInformer<? extends HasMetadata> informer : informers) {
                addHandler(informer, rebuilds);
                // Keep retrying a failed list or watch (e.g. the Mapping CRD installed after the gateway
                // started); the default gives up after the first failure and would leave routes frozen.
                informer.exceptionHandler((started, t) -> !ExceptionHandler.isDeserializationException(t));
            }
            awaitSync(informers);
            rebuild.run();
            Gateway gateway = Gateway.start(routes::get, port, Gateway.SAME_PORT);
            LOG.info("cluster gateway on 127.0.0.1:{} (REST and gRPC)", gateway.restPort());
            return new ClusterGateway(informers, rebuilds, routes, gateway);
        } catch (IOException | RuntimeException e) {
            rebuilds.close();
            informers.forEach(SharedIndexInformer::stop);
            if (e instanceof IOException io) {
                throw new UncheckedIOException(
                        "cluster gateway: cannot listen on 127.0.0.1:" + port + ": " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    private static <T extends HasMetadata> void addHandler(SharedIndexInformer<T> informer, Coalescer rebuilds) {
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
                rebuilds.request();
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                rebuilds.request();
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                rebuilds.request();
            }
        });
    }

    /** Starts every informer and waits for their first lists; one that is late is named and left retrying. */
    private static void awaitSync(List<SharedIndexInformer<? extends HasMetadata>> informers) {
        CompletableFuture<?>[] started =
                informers.stream().map(i -> i.start().toCompletableFuture()).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(started).get(SYNC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.warn(
                    "cluster gateway: not synced after {} s: {}; serving what is known, routes follow when they sync",
                    SYNC_TIMEOUT.toSeconds(),
                    informers.stream()
                            .filter(i -> !i.hasSynced())
                            .map(i -> i.getApiTypeClass().getSimpleName())
                            .toList());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the cluster gateway's informers synced", e);
        }
    }

    /** The port REST and gRPC are served on. */
    public int port() {
        return gateway.restPort();
    }

    /** The routes served now (diagnostics and tests). */
    public Routes routes() {
        return routes.get();
    }

    @Override
    public void close() {
        gateway.close();
        rebuilds.close();
        informers.forEach(SharedIndexInformer::stop);
    }

    /** Reads the three stores and swaps in the routes they give; logs the routes when they change. */
    private static final class Rebuild implements Runnable {
        private final RouteCompiler compiler;
        private final AtomicReference<Routes> routes;
        private final SharedIndexInformer<GenericKubernetesResource> mappings;
        private final SharedIndexInformer<Service> services;
        private final SharedIndexInformer<EndpointSlice> slices;
        private List<String> logged = List.of();

        Rebuild(
                RouteCompiler compiler,
                AtomicReference<Routes> routes,
                SharedIndexInformer<GenericKubernetesResource> mappings,
                SharedIndexInformer<Service> services,
                SharedIndexInformer<EndpointSlice> slices) {
            this.compiler = compiler;
            this.routes = routes;
            this.mappings = mappings;
            this.services = services;
            this.slices = slices;
        }

        // synchronized: start() runs the first rebuild while informer events may already schedule one.
        @Override
        public synchronized void run() {
            Routes next = compiler.compile(
                    mappings.getStore().list(),
                    services.getStore().list(),
                    slices.getStore().list());
            routes.set(next);
            List<String> lines = next.describe();
            if (!lines.equals(logged)) {
                logged = lines;
                LOG.info(
                        "cluster gateway routes ({}):{}",
                        lines.size(),
                        lines.isEmpty() ? " none" : lines.stream().collect(Collectors.joining("\n  ", "\n  ", "")));
            }
        }
    }
}
