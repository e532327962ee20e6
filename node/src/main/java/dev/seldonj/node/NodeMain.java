package dev.seldonj.node;

import dev.seldonj.local.errors.RunnerException;
import dev.seldonj.node.errors.NodeException;
import dev.seldonj.node.net.Subnet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar seldonj-node.jar --kubeconfig FILE --state-dir DIR ...}: runs the node agent until
 * SIGTERM, then stops every pod and exits. Bad flags or an unreachable API server: one line, exit 1.
 */
@Command(
        name = "seldonj-node",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Test-cluster node agent: runs the pods bound to this node as processes in their own network"
                + " namespaces on a bridge, reports their status, and keeps the Node Ready.")
public final class NodeMain implements Callable<Integer> {

    @Option(
            names = "--kubeconfig",
            required = true,
            description = "kubeconfig of the API server (the agent's own credentials)")
    Path kubeconfig;

    @Option(names = "--node-name", defaultValue = "seldonj-node", description = "Node name (default: ${DEFAULT-VALUE})")
    String nodeName;

    @Option(
            names = "--bridge",
            defaultValue = "seldonj0",
            description = "bridge the pods join (default: ${DEFAULT-VALUE})")
    String bridge;

    @Option(
            names = "--bridge-address",
            defaultValue = "10.244.100.1/24",
            description = "the bridge's address/prefix: node address and pod subnet (default: ${DEFAULT-VALUE})")
    String bridgeAddress;

    @Option(
            names = "--api-server",
            required = true,
            description = "API server URL as pods reach it, e.g. https://10.244.100.1:16443")
    String apiServer;

    @Option(names = "--state-dir", required = true, description = "pods' volumes, pid files and logs")
    Path stateDir;

    @Option(
            names = "--repo-dir",
            defaultValue = ".",
            description = "the seldonj checkout whose jars the built-in images run")
    Path repoDir;

    @Option(names = "--images", description = "your image -> command map (YAML), over the built-in one")
    Path images;

    @Option(names = "--gateway-port", description = "also serve the Emissary-style gateway on 127.0.0.1:PORT")
    Integer gatewayPort;

    private final PrintStream out;
    private final PrintStream err;

    NodeMain(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        // Probes may set a Host header, which HttpURLConnection refuses unless told otherwise.
        System.setProperty("sun.net.http.allowRestrictedHeaders", "true");
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the agent (until SIGTERM) and returns the exit code; usage errors are one line on {@code err}. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new NodeMain(out, err))
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .setParameterExceptionHandler((e, a) -> {
                    err.println("seldonj-node: " + e.getMessage() + " (see --help)");
                    return 1;
                });
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        NodeOptions options;
        KubernetesClient client;
        try {
            options = options();
            client = ApiClients.connect(options.kubeconfig());
        } catch (NodeException e) {
            err.println("seldonj-node: " + e.getMessage());
            return 1;
        }
        Consumer<String> events = line -> {
            synchronized (out) {
                out.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + line);
                out.flush();
            }
        };
        NodeAgent agent = new NodeAgent(options, client, events);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            agent.close();
                            client.close();
                            stopped.countDown();
                        },
                        "node-shutdown"));
        try {
            agent.start();
        } catch (NodeException | RunnerException | KubernetesClientException e) {
            err.println("seldonj-node: " + e.getMessage());
            return 1; // System.exit runs the shutdown hook, which stops whatever started
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    NodeOptions options() {
        if (!Files.isReadable(kubeconfig)) {
            throw new NodeException("--kubeconfig " + kubeconfig + ": no such readable file");
        }
        Subnet subnet;
        try {
            subnet = Subnet.parse(bridgeAddress);
        } catch (IllegalArgumentException e) {
            throw new NodeException("--bridge-address: " + e.getMessage());
        }
        URI api;
        try {
            api = URI.create(apiServer);
        } catch (IllegalArgumentException e) {
            throw new NodeException("--api-server " + apiServer + ": expected https://HOST:PORT");
        }
        if (api.getHost() == null || !"https".equals(api.getScheme()) && !"http".equals(api.getScheme())) {
            throw new NodeException("--api-server " + apiServer + ": expected https://HOST:PORT");
        }
        int port = api.getPort() > 0 ? api.getPort() : "https".equals(api.getScheme()) ? 443 : 80;
        if (nodeName.isBlank() || !nodeName.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
            throw new NodeException("--node-name " + nodeName + ": not a valid node name (lower-case DNS name)");
        }
        if (bridge.length() > 15 || bridge.isBlank()) {
            throw new NodeException("--bridge " + bridge + ": an interface name has 1 to 15 characters");
        }
        if (!Files.isRegularFile(repoDir.resolve("pom.xml"))) {
            throw new NodeException("--repo-dir " + repoDir + ": not the seldonj checkout (no pom.xml)");
        }
        if (images != null && !Files.isReadable(images)) {
            throw new NodeException("--images " + images + ": no such readable file");
        }
        if (gatewayPort != null && (gatewayPort < 1 || gatewayPort > 65535)) {
            throw new NodeException("--gateway-port " + gatewayPort + ": not a port number");
        }
        if (!runsAsRoot()) {
            throw new NodeException("must run as root (network namespaces, veths and mounts need it)");
        }
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new NodeException("--state-dir " + stateDir + ": cannot create it: " + e.getMessage());
        }
        return new NodeOptions(
                kubeconfig,
                nodeName,
                bridge,
                subnet,
                api.getHost(),
                port,
                stateDir.toAbsolutePath().normalize(),
                repoDir.toAbsolutePath().normalize(),
                images == null ? null : images.toAbsolutePath(),
                gatewayPort);
    }

    private static boolean runsAsRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return false;
    }
}
