package dev.seldonj.node;

import dev.seldonj.local.images.ImageCommands;
import dev.seldonj.node.cluster.ClusterConfigSource;
import dev.seldonj.node.cluster.ClusterPodApi;
import dev.seldonj.node.cluster.ClusterTokens;
import dev.seldonj.node.container.ContainerLauncher;
import dev.seldonj.node.container.EnvResolver;
import dev.seldonj.node.container.Tools;
import dev.seldonj.node.errors.NodeException;
import dev.seldonj.node.gateway.ClusterGateway;
import dev.seldonj.node.net.AddressAllocator;
import dev.seldonj.node.net.PodNetNames;
import dev.seldonj.node.net.PodNetwork;
import dev.seldonj.node.pod.NodeContext;
import dev.seldonj.node.pod.PodStatuses;
import dev.seldonj.node.pod.PodWorker;
import dev.seldonj.node.probe.ProbeRunner;
import dev.seldonj.node.registration.NodeFacts;
import dev.seldonj.node.registration.NodeObjects;
import dev.seldonj.node.registration.NodeRegistration;
import dev.seldonj.node.volume.AtomicWriter;
import dev.seldonj.node.volume.VolumeFiles;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The node agent: registers the node, sweeps what a previous run left, watches the pods bound to this
 * node and gives each its {@link PodWorker}; on close stops every pod and removes their sandboxes.
 */
public final class NodeAgent implements AutoCloseable {

    /** How long close() waits for the pods to stop (each stops within 10 s; this covers the cleanup too). */
    private static final long SHUTDOWN_SECONDS = 20;

    private static final Pattern POD_UID = Pattern.compile("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");

    private final NodeOptions options;
    private final KubernetesClient client;
    private final Consumer<String> events;
    private final ScheduledThreadPoolExecutor sync = executor("pod-sync", 2);
    private final ScheduledThreadPoolExecutor probes = executor("probe", 4);
    private final Map<String, PodWorker> workers = new ConcurrentHashMap<>();
    /** Pods whose worker is done but whose object may still send events (until the API server deletes it). */
    private final Set<String> finished = ConcurrentHashMap.newKeySet();

    private PodNetwork network;
    private AddressAllocator addresses;
    private NodeContext context;
    private NodeRegistration registration;
    private SharedIndexInformer<Pod> informer;
    private AutoCloseable gateway;
    /** Set once the agent owns the machine's pod state: only then does close() stop and sweep anything. */
    private volatile boolean started;
    /** Set first thing in close(): a pod the informer delivers after that gets no worker, so starts nothing. */
    private volatile boolean closing;

    public NodeAgent(NodeOptions options, KubernetesClient client, Consumer<String> events) {
        this.options = options;
        this.client = client;
        this.events = events;
    }

    public void start() {
        Tools tools = Tools.find();
        network = new PodNetwork(options.bridge(), options.subnet());
        network.checkBridge();
        addresses = new AddressAllocator(options.subnet());
        sweepLeftovers();
        started = true;

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ImageCommands images = ImageCommands.load(options.repoDir(), java, options.images());
        NodeFacts facts = NodeFacts.read(options.stateDir());
        Clock clock = Clock.systemUTC();
        ClusterConfigSource config = new ClusterConfigSource(client);
        context = new NodeContext(
                options.nodeName(),
                options.subnet().host(),
                options.apiPort(),
                options.stateDir(),
                images,
                network,
                addresses,
                new ContainerLauncher(tools),
                new ProbeRunner(tools),
                new EnvResolver(config),
                new VolumeFiles(config),
                new ClusterTokens(client, clock),
                new ClusterPodApi(client),
                NodeObjects.capacity(facts),
                sync,
                probes,
                clock,
                events);

        registration = new NodeRegistration(
                client, options.nodeName(), options.subnet().host(), facts, clock, events);
        registration.start(sync);

        var onNode = client.pods().inAnyNamespace().withField("spec.nodeName", options.nodeName());
        // Addresses the pods already report are taken before any new pod asks for one.
        for (Pod pod : onNode.list().getItems()) {
            if (pod.getStatus() != null && pod.getStatus().getPodIP() != null && !terminal(pod)) {
                addresses.reserve(pod.getMetadata().getUid(), pod.getStatus().getPodIP());
            }
        }
        informer = onNode.inform(
                new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                        dispatch(pod);
                    }

                    @Override
                    public void onUpdate(Pod oldPod, Pod newPod) {
                        dispatch(newPod);
                    }

                    @Override
                    public void onDelete(Pod pod, boolean finalStateUnknown) {
                        String uid = pod.getMetadata().getUid();
                        finished.remove(uid);
                        PodWorker worker = workers.get(uid);
                        if (worker != null) {
                            worker.deleted();
                        }
                    }
                },
                TimeUnit.SECONDS.toMillis(30));

        if (options.gatewayPort() != null) {
            gateway = ClusterGateway.start(client, options.gatewayPort());
            events.accept("gateway listening on 127.0.0.1:" + options.gatewayPort());
        }
        events.accept("node " + options.nodeName() + " ready: pods on " + options.bridge() + " ("
                + options.subnet().cidr() + "), state in " + options.stateDir());
    }

    private static boolean terminal(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return PodStatuses.SUCCEEDED.equals(phase) || PodStatuses.FAILED.equals(phase);
    }

    private synchronized void dispatch(Pod pod) {
        String uid = pod.getMetadata().getUid();
        if (closing || finished.contains(uid)) {
            return;
        }
        workers.computeIfAbsent(uid, u -> {
                    events.accept(pod.getMetadata().getNamespace() + "/"
                            + pod.getMetadata().getName() + ": bound to this node");
                    return new PodWorker(context, pod, () -> {
                        finished.add(u);
                        workers.remove(u);
                    });
                })
                .update(pod);
    }

    /**
     * Kills processes a previous run left (by their pid files, then by their network namespaces) and removes
     * its network namespaces, veths and pod directories: pods still bound here start afresh. Only what is
     * provably this agent's is touched: pods with a directory in its state directory and veths on its bridge
     * (another agent on the same machine, with its own bridge and state, keeps its pods).
     */
    private void sweepLeftovers() {
        Set<String> ids = new TreeSet<>();
        Path pods = options.stateDir().resolve("pods");
        int killed = 0;
        if (Files.isDirectory(pods)) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(pods)) {
                for (Path dir : dirs) {
                    String name = dir.getFileName().toString();
                    if (!POD_UID.matcher(name).matches()) {
                        continue; // log directories (<ns>_<name>_<uid>) stay
                    }
                    ids.add(PodNetNames.of(name).namespace().substring(PodNetNames.NAMESPACE_PREFIX.length()));
                    Path containers = dir.resolve("containers");
                    if (Files.isDirectory(containers)) {
                        try (DirectoryStream<Path> cs = Files.newDirectoryStream(containers)) {
                            for (Path c : cs) {
                                Path pid = c.resolve("pid");
                                if (Files.isRegularFile(pid)) {
                                    ContainerLauncher.killLeftover(pid);
                                    killed++;
                                }
                            }
                        }
                    }
                    AtomicWriter.deleteTree(dir);
                }
            } catch (IOException | NodeException e) {
                events.accept("warning: sweeping " + pods + ": " + e.getMessage());
            }
        }
        network.hostVethsOnBridge().forEach(v -> ids.add(v.substring(PodNetNames.HOST_VETH_PREFIX.length())));
        List<String> existing = network.namespaces();
        int namespaces = 0;
        int veths = 0;
        for (String id : ids) {
            String ns = PodNetNames.NAMESPACE_PREFIX + id;
            if (existing.contains(ns)) {
                network.pids(ns).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
                network.removeNamespace(ns);
                namespaces++;
            }
            String veth = PodNetNames.HOST_VETH_PREFIX + id;
            if (network.linkExists(veth)) {
                network.removeLink(veth);
                veths++;
            }
        }
        if (killed + namespaces + veths > 0) {
            events.accept("removed leftovers of a previous run: " + killed + " pid files, " + namespaces
                    + " network namespaces, " + veths + " veths");
        }
    }

    @Override
    public void close() {
        if (!started) {
            return;
        }
        synchronized (this) {
            closing = true;
        }
        if (informer != null) {
            informer.stop();
        }
        if (registration != null) {
            registration.close();
        }
        closeGateway();
        List<CompletableFuture<Void>> stopping =
                workers.values().stream().map(PodWorker::shutDown).toList();
        try {
            CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).get(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            events.accept("warning: pods still stopping after " + SHUTDOWN_SECONDS + " s; removing what is left");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            events.accept("warning: stopping pods: " + e.getMessage());
        }
        sync.shutdownNow();
        probes.shutdownNow();
        try {
            // A sync pass still running could start a container after the sweep below: let it end first.
            sync.awaitTermination(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
            probes.awaitTermination(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Whatever did not stop in time: nothing of ours may outlive the agent.
        sweepLeftovers();
        events.accept("node agent stopped");
    }

    private void closeGateway() {
        if (gateway != null) {
            try {
                gateway.close();
            } catch (Exception e) {
                events.accept("warning: closing the gateway: " + e.getMessage());
            }
        }
    }

    private static ScheduledThreadPoolExecutor executor(String name, int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(threads, factory);
        // Probes of stopped containers are cancelled often: do not keep their tasks until they were due.
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
