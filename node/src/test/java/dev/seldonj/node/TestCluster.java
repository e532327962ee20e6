package dev.seldonj.node;

import dev.seldonj.node.net.HostCommand;
import dev.seldonj.node.net.Subnet;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;

/**
 * The test cluster of ci/cluster/up.sh, for integration tests: its admin kubeconfig ({@code KUBECONFIG},
 * else {@code $CLUSTER_STATE/pki/admin.kubeconfig}, CLUSTER_STATE defaulting to {@code <repo>/.run/cluster}),
 * and its node. When no cluster is up, the script starts one without its node agent (and stops it at the
 * end); when the node is not Ready, a node agent is started here, in this JVM. Tests are skipped, with the
 * reason, only where a cluster cannot run at all (not root). Settings follow ci/cluster/versions.sh and
 * its environment overrides (NODE_NAME, BRIDGE, BRIDGE_ADDRESS, BRIDGE_PREFIX, API_PORT).
 */
final class TestCluster implements AutoCloseable {

    static final Path REPO = repo();

    final KubernetesClient client;
    final String nodeName = env("NODE_NAME", "seldonj-node");
    final String bridge = env("BRIDGE", "seldonj0");
    final Subnet subnet = Subnet.parse(env("BRIDGE_ADDRESS", "10.244.100.1") + "/" + env("BRIDGE_PREFIX", "24"));
    final int apiPort = Integer.parseInt(env("API_PORT", "16443"));
    private NodeAgent agent;
    private Path agentState;

    private TestCluster(KubernetesClient client) {
        this.client = client;
    }

    static TestCluster connectOrSkip() {
        Path state = Path.of(env("CLUSTER_STATE", REPO.resolve(".run/cluster").toString()));
        Path kubeconfig = state.resolve("pki/admin.kubeconfig");
        if (!apiReady(kubeconfig)) {
            startControlPlane();
        }
        KubernetesClient client = ApiClients.connect(kubeconfig);
        TestCluster cluster = new TestCluster(client);
        cluster.ensureNode(kubeconfig);
        return cluster;
    }

    /**
     * Starts the control plane and pod network with the project's script, without its node agent (the
     * tests run one in this JVM), and stops it when the JVM ends. Only a machine where that cannot work
     * at all (not root) skips; a failing start-up fails the tests.
     */
    private static synchronized void startControlPlane() {
        Assumptions.assumeTrue(
                "root".equals(System.getProperty("user.name")),
                "the test cluster needs root (network namespaces, routes); run as root or use make test-fast");
        ProcessBuilder up =
                new ProcessBuilder("bash", REPO.resolve("ci/cluster/up.sh").toString()).redirectErrorStream(true);
        up.environment().put("NODE_AGENT", "0");
        try {
            Process process = up.start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new AssertionError("ci/cluster/up.sh failed:\n" + output);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run ci/cluster/up.sh: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while starting the test cluster", e);
        }
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> HostCommand.attempt(List.of(
                                "bash", REPO.resolve("ci/cluster/down.sh").toString())),
                        "test-cluster-down"));
    }

    private static boolean apiReady(Path kubeconfig) {
        return Files.isReadable(kubeconfig)
                && HostCommand.attempt(
                                List.of(kubectl(), "--kubeconfig", kubeconfig.toString(), "get", "--raw", "/readyz"))
                        .ok();
    }

    /** ci/cluster's pinned kubectl, else the PATH's. */
    private static String kubectl() {
        Path pinned =
                Path.of(env("CLUSTER_TOOLS", REPO.resolve(".tools/cluster").toString()), "bin", "kubectl");
        return Files.isExecutable(pinned) ? pinned.toString() : "kubectl";
    }

    /** Uses the cluster's node agent, or starts one when the node is not Ready. */
    private void ensureNode(Path kubeconfig) {
        if (nodeReady()) {
            return;
        }
        Assumptions.assumeTrue(
                HostCommand.attempt(List.of("ip", "link", "show", "dev", bridge))
                        .ok(),
                "the cluster runs without its pod network (no bridge " + bridge + ")");
        try {
            agentState = Files.createTempDirectory("seldonj-node-it");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        NodeOptions options = new NodeOptions(
                kubeconfig, nodeName, bridge, subnet, subnet.host(), apiPort, agentState, REPO, null, null);
        agent = new NodeAgent(options, client, line -> System.out.println("node-agent | " + line));
        agent.start();
        await(Duration.ofSeconds(60), this::nodeReady, "node " + nodeName + " Ready");
    }

    boolean nodeReady() {
        Node node = client.nodes().withName(nodeName).get();
        return node != null
                && node.getStatus() != null
                && node.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Waits for {@code condition}, failing with what was awaited. */
    static void await(Duration timeout, Supplier<Boolean> condition, String what) {
        Instant deadline = Instant.now().plus(timeout);
        while (!Boolean.TRUE.equals(condition.get())) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not after " + timeout.toSeconds() + " s: " + what);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    static List<String> networkNamespaces() {
        return List.of(HostCommand.run(List.of("ip", "netns", "list")).split("\n")).stream()
                .map(l -> l.strip().split("\\s+")[0])
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /** Names of the host's network interfaces. */
    static List<String> links() {
        return List.of(HostCommand.run(List.of("ip", "-o", "link", "show")).split("\n")).stream()
                .map(l -> l.split(":\\s+"))
                .filter(p -> p.length > 1)
                .map(p -> p[1].split("@")[0])
                .toList();
    }

    @Override
    public void close() {
        if (agent != null) {
            agent.close();
        }
        client.close();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static Path repo() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            try {
                Path pom = dir.resolve("pom.xml");
                if (Files.isRegularFile(pom) && Files.readString(pom).contains("<modules>")) {
                    return dir;
                }
            } catch (IOException e) {
                // keep looking upwards
            }
        }
        return Path.of("").toAbsolutePath();
    }
}
