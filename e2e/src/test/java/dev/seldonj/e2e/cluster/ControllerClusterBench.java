package dev.seldonj.e2e.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code make bench-controller}, not part of {@code make test}: the controller's fat jar as its own
 * process against the real API server (admin kubeconfig), N SeldonDeployments created at once across
 * 10 namespaces, their pods placed on a kwok node (fake, no processes) through the real scheduler and
 * Deployment controller. Measures the time until every child object exists, until every
 * SeldonDeployment is Available, the controller's heap after a full GC and its CPU while idle.
 * Figures go to stdout and e2e/target/bench-controller.txt.
 */
class ControllerClusterBench {

    private static final int NAMESPACES = 10;

    @Test
    void createManyAndMeasure() throws Exception {
        int count = Integer.getInteger("bench.count", 500);
        long idleSeconds = Long.getLong("bench.idle.seconds", 30);
        // The cluster first (stopped at the end when this JVM started it), then its kwok node.
        TestCluster cluster = TestCluster.get();
        Command.run(
                        List.of(
                                "bash",
                                TestCluster.REPOSITORY
                                        .resolve("ci/cluster/up.sh")
                                        .toString()),
                        Map.of("KWOK", "1"),
                        null,
                        Duration.ofMinutes(30))
                .orThrow();
        KubernetesClient client = cluster.admin();
        Operators.cleanSlate(cluster);
        Operators.serveCrd(cluster);
        List<String> namespaces = new ArrayList<>();
        for (int i = 0; i < NAMESPACES; i++) {
            namespaces.add(cluster.createNamespace("bench"));
        }

        Path config = Files.createTempFile("bench-controller", ".yaml");
        Files.writeString(config, """
        leader-election: {enabled: false}
        webhook: {enabled: false}
        """);
        Path micronautConfig = Files.createTempFile("bench-application", ".yml");
        Files.writeString(micronautConfig, "micronaut.server.port: -1\n");
        Path jar = TestCluster.REPOSITORY.resolve("controller/target/seldonj-controller-0.1.0-SNAPSHOT.jar");
        ProcessBuilder pb = new ProcessBuilder(
                javaBin(), "-XX:+UseSerialGC", "-jar", jar.toString(), "operator", "--config", config.toString());
        pb.environment().put("KUBECONFIG", cluster.kubeconfig().toString());
        pb.environment().put("POD_NAMESPACE", "default");
        pb.environment().put("MICRONAUT_CONFIG_FILES", micronautConfig.toString());
        File log = Path.of("target", "bench-controller.log").toFile();
        pb.redirectErrorStream(true).redirectOutput(log);
        Process controller = pb.start();
        try {
            while (!Files.readString(log.toPath()).contains("Startup completed")) {
                if (!controller.isAlive()) {
                    throw new IllegalStateException("controller exited; see " + log);
                }
                Thread.sleep(100);
            }
            long start = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> creations = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String namespace = namespaces.get(i % NAMESPACES);
                String name = "model-" + i;
                creations.add(pool.submit(
                        () -> client.resource(Serialization.unmarshal(sdep(name), GenericKubernetesResource.class))
                                .inNamespace(namespace)
                                .create()));
            }
            for (Future<?> creation : creations) {
                creation.get();
            }
            pool.shutdown();
            double created = seconds(start);
            double present = 0;
            while (true) {
                int deployments = 0;
                int services = 0;
                int mappings = 0;
                int available = 0;
                for (String namespace : namespaces) {
                    List<Deployment> list = client.apps()
                            .deployments()
                            .inNamespace(namespace)
                            .list()
                            .getItems();
                    deployments += list.size();
                    services += client.services()
                            .inNamespace(namespace)
                            .list()
                            .getItems()
                            .size();
                    mappings += client.genericKubernetesResources("getambassador.io/v3alpha1", "Mapping")
                            .inNamespace(namespace)
                            .list()
                            .getItems()
                            .size();
                    for (GenericKubernetesResource sdep : client.genericKubernetesResources(
                                    "machinelearning.seldon.io/v1", "SeldonDeployment")
                            .inNamespace(namespace)
                            .list()
                            .getItems()) {
                        Object status = sdep.getAdditionalProperties().get("status");
                        if (status instanceof Map<?, ?> map && "Available".equals(map.get("state"))) {
                            available++;
                        }
                    }
                }
                if (present == 0 && deployments == count && services == 2 * count && mappings == 2 * count) {
                    present = seconds(start);
                }
                if (present > 0 && available == count) {
                    break;
                }
                if (!controller.isAlive()) {
                    throw new IllegalStateException("controller exited; see " + log);
                }
                if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(15)) {
                    throw new IllegalStateException("not converged after 15 minutes: " + deployments + " Deployments, "
                            + available + " Available");
                }
                Thread.sleep(1000);
            }
            double allAvailable = seconds(start);
            long pid = controller.pid();
            long heapUsedKb = usedKb(jcmd(pid, "GC.run") + jcmd(pid, "GC.heap_info"));
            long cpuBefore = cpuTicks(pid);
            long idleStart = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(idleSeconds));
            double idleWall = seconds(idleStart);
            double idleCpuPercent = 100.0 * ((cpuTicks(pid) - cpuBefore) / 100.0) / idleWall; // USER_HZ = 100
            String report = String.format(
                    """
          SeldonDeployments: %d in %d namespaces (1 Deployment, 2 Services, 2 Mappings each), pods on a kwok node
          all created (8 client threads): %.1f s
          all child objects present: %.1f s
          all SeldonDeployments Available (real scheduler, Deployment controller, kwok pods): %.1f s
          controller heap used after full GC: %.1f MiB
          controller CPU while idle over %.0f s: %.2f %% of one core
          """,
                    count, NAMESPACES, created, present, allAvailable, heapUsedKb / 1024.0, idleWall, idleCpuPercent);
            System.out.println(report);
            Files.writeString(Path.of("target", "bench-controller.txt"), report, StandardCharsets.UTF_8);
        } finally {
            controller.destroy();
            controller.waitFor(10, TimeUnit.SECONDS);
            for (String namespace : namespaces) {
                cluster.kubectl("delete", "namespace", namespace, "--wait=false");
            }
            Operators.cleanSlate(cluster);
        }
    }

    /** One model, its pod tolerating the kwok node's taint and selecting that node, so no process runs. */
    private static String sdep(String name) {
        return Sdeps.model(
                name,
                "",
                "",
                "nodeSelector: {type: kwok}, "
                        + "tolerations: [{key: kwok.x-k8s.io/node, operator: Exists, effect: NoSchedule}]",
                Sdeps.MOCK_CLASSIFIER);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String jcmd(long pid, String command) {
        return Command.run(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "jcmd")
                                        .toString(),
                                Long.toString(pid),
                                command),
                        Map.of(),
                        null,
                        Duration.ofMinutes(1))
                .stdout();
    }

    /** SerialGC's heap_info: "def new generation total ..., used 1234K" and "tenured generation ... used ...K". */
    private static long usedKb(String heapInfo) {
        long used = 0;
        Matcher m = Pattern.compile("used (\\d+)K").matcher(heapInfo);
        while (m.find()) {
            used += Long.parseLong(m.group(1));
        }
        return used;
    }

    private static long cpuTicks(long pid) throws Exception {
        String[] fields = Files.readString(Path.of("/proc", Long.toString(pid), "stat"))
                .split("\\) ", 2)[1]
                .split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
