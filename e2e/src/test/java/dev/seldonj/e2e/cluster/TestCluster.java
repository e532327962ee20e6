package dev.seldonj.e2e.cluster;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real test cluster of ci/cluster/ for the ITs: the same scripts as {@code make cluster-up}
 * (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, the pod network, the node agent and
 * its gateway), started once per test JVM. A cluster that was already up is reused and left running;
 * one this JVM started is stopped when the JVM ends.
 */
public final class TestCluster {

    /** The repository root: the nearest directory upwards holding ci/cluster/up.sh. */
    public static final Path REPOSITORY = findRepository();

    private static final Duration UP_TIMEOUT = Duration.ofMinutes(45);
    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static TestCluster shared;

    private final Path kubeconfig;
    private final Map<String, String> env;
    private final KubernetesClient admin;

    private TestCluster(Path kubeconfig) {
        this.kubeconfig = kubeconfig;
        this.env = Map.of("KUBECONFIG", kubeconfig.toString());
        Config config = Config.fromKubeconfig(read(kubeconfig));
        // ci/cluster/pki.sh writes EC keys as PKCS#8, whose PEM header does not name the algorithm.
        config.setClientKeyAlgo("EC");
        this.admin = new KubernetesClientBuilder().withConfig(config).build();
    }

    /** The cluster, started on first use (building the pinned binaries when absent). */
    public static synchronized TestCluster get() {
        if (shared == null) {
            boolean wasUp = script("network.sh", "check").ok()
                    && Command.run(
                                    List.of(
                                            kubectlBinary(),
                                            "--kubeconfig",
                                            stateDir()
                                                    .resolve("pki/admin.kubeconfig")
                                                    .toString(),
                                            "get",
                                            "--raw",
                                            "/readyz"),
                                    Map.of(),
                                    null,
                                    Duration.ofSeconds(10))
                            .ok();
            Command up = script("up.sh");
            if (!up.ok()) {
                throw new IllegalStateException(
                        "ci/cluster/up.sh failed (exit " + up.exit() + "):\n" + up.stdout() + up.stderr());
            }
            String last = up.stdout().strip().lines().reduce((a, b) -> b).orElse("");
            if (!last.startsWith("export KUBECONFIG=")) {
                throw new IllegalStateException(
                        "ci/cluster/up.sh did not end with `export KUBECONFIG=...`:\n" + up.stdout());
            }
            shared = new TestCluster(Path.of(last.substring("export KUBECONFIG=".length())));
            if (!wasUp) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> script("down.sh"), "test-cluster-down"));
            }
        }
        return shared;
    }

    /** A client with the admin's credentials (group system:masters). */
    public KubernetesClient admin() {
        return admin;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    /** The folder with the cluster's certificates, logs and the node agent's pods. */
    public static Path stateDir() {
        String override = System.getenv("CLUSTER_STATE");
        return override != null ? Path.of(override) : REPOSITORY.resolve(".run/cluster");
    }

    /** {@code kubectl ...} as the admin. */
    public Command kubectl(String... args) {
        return kubectlWithInput(null, args);
    }

    /** {@code kubectl ...} as the admin, with {@code stdin} as its input (for {@code -f -}). */
    public Command kubectlWithInput(String stdin, String... args) {
        List<String> argv = new ArrayList<>(List.of(kubectlBinary()));
        argv.addAll(List.of(args));
        return Command.run(argv, env, stdin, Duration.ofMinutes(2));
    }

    /** The pinned kubectl that build-tools.sh builds with the server (the PATH's when absent). */
    private static String kubectlBinary() {
        Path pinned = toolsDir().resolve("bin/kubectl");
        return Files.isExecutable(pinned) ? pinned.toString() : "kubectl";
    }

    /** The pinned {@code helm} CLI (built once into .tools/cluster/bin) as the admin. */
    public Command helm(String... args) {
        Path helm = toolsDir().resolve("bin/helm");
        if (!Files.isExecutable(helm)) {
            script("build-tools.sh", "helm").orThrow();
        }
        List<String> argv = new ArrayList<>(List.of(helm.toString()));
        argv.addAll(List.of(args));
        return Command.run(argv, env, null, Duration.ofMinutes(5));
    }

    /** A new namespace whose name starts with {@code prefix}; the caller deletes it. */
    public String createNamespace(String prefix) {
        String name = prefix + "-" + ProcessHandle.current().pid() + "-" + NAMESPACES.incrementAndGet();
        admin.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .build())
                .create();
        return name;
    }

    /** Runs one of ci/cluster's scripts. */
    public static Command script(String name, String... args) {
        List<String> argv = new ArrayList<>(
                List.of("bash", REPOSITORY.resolve("ci/cluster").resolve(name).toString()));
        argv.addAll(List.of(args));
        return Command.run(argv, Map.of(), null, UP_TIMEOUT);
    }

    private static Path toolsDir() {
        String override = System.getenv("CLUSTER_TOOLS");
        return override != null ? Path.of(override) : REPOSITORY.resolve(".tools/cluster");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static Path findRepository() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("ci/cluster/up.sh"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no ci/cluster/up.sh above " + start);
    }
}
