package dev.seldonj.controller.bench;

import dev.seldonj.api.model.SeldonDeployment;
import dev.seldonj.controller.reconcile.MockCluster;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import dev.seldonj.controller.testing.EnableMockApiServer;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code make bench-controller}, not part of {@code make test}: runs the controller's fat jar as its
 * own process against the CRUD mock API server (in this JVM), creates N SeldonDeployments at once,
 * and measures the time until every object they need exists, the controller's heap after a full GC,
 * and its CPU use over 30 s of idleness. Figures go to stdout and target/bench-controller.txt.
 */
@EnableMockApiServer
class ControllerBench {

  static KubernetesClient client;
  static KubernetesMockServer server;

  @Test
  void createManyAndMeasure() throws Exception {
    int count = Integer.getInteger("bench.count", 500);
    int namespaces = 10;
    long idleSeconds = Long.getLong("bench.idle.seconds", 30);
    MockCluster.installCrd(client);
    MockCluster.installForeignCrd(client, "getambassador.io", "v3alpha1", "Mapping", "mappings");
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews").andReturn(201, "{}").always();

    Path config = Files.createTempFile("bench-application", ".yml");
    Files.writeString(config, """
        micronaut.server.port: -1
        seldon:
          controller:
            leader-election: {enabled: false}
            webhook: {enabled: false}
        """);
    Path jar = Files.list(Path.of("target")).filter(p -> p.getFileName().toString().matches("seldonj-controller-.*\\.jar"))
        .filter(p -> !p.getFileName().toString().startsWith("original-")).findFirst()
        .orElseThrow(() -> new IllegalStateException("build the fat jar first: mvn -pl controller package"));
    ProcessBuilder pb = new ProcessBuilder(javaBin(), "-XX:+UseSerialGC", "-jar", jar.toString(), "operator");
    pb.environment().put("KUBERNETES_MASTER", client.getMasterUrl().toString());
    pb.environment().put("KUBERNETES_TRUST_CERTIFICATES", "true");
    pb.environment().put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
    pb.environment().put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
    pb.environment().put("MICRONAUT_CONFIG_FILES", config.toString());
    File log = Path.of("target", "bench-controller.log").toFile();
    pb.redirectErrorStream(true).redirectOutput(log);
    Process controller = pb.start();
    try {
      // Measure from a started controller, not from JVM start-up.
      while (!Files.readString(log.toPath()).contains("Startup completed")) {
        if (!controller.isAlive()) {
          throw new IllegalStateException("controller exited; see " + log);
        }
        Thread.sleep(100);
      }
      String template = MockCluster.example("examples/seldon-model.yaml");
      long start = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<?>> creations = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String ns = "bench-" + (i % namespaces);
        String name = "model-" + i;
        creations.add(pool.submit(() -> {
          SeldonDeployment sdep = MockCluster.sdep(template, ns);
          sdep.getMetadata().setName(name);
          client.resource(sdep).create();
        }));
      }
      for (Future<?> f : creations) {
        f.get();
      }
      pool.shutdown();
      double createdAfter = (System.nanoTime() - start) / 1e9;
      // Each SeldonDeployment: 1 Deployment, 2 Services, 2 Mappings.
      while (true) {
        int deployments = client.resources(Deployment.class).inAnyNamespace().list().getItems().size();
        int services = client.resources(Service.class).inAnyNamespace().list().getItems().size();
        int mappings = client.genericKubernetesResources(MockCluster.MAPPINGS).inAnyNamespace().list().getItems().size();
        if (deployments == count && services == 2 * count && mappings == 2 * count) {
          break;
        }
        if (!controller.isAlive()) {
          throw new IllegalStateException("controller exited; see " + log);
        }
        if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(10)) {
          throw new IllegalStateException("not converged after 10 minutes: " + deployments + " deployments");
        }
        Thread.sleep(250);
      }
      double converged = (System.nanoTime() - start) / 1e9;
      long pid = controller.pid();
      String heap = jcmd(pid, "GC.run") + jcmd(pid, "GC.heap_info");
      long heapUsedKb = parseUsedKb(heap);
      long cpuBefore = cpuTicks(pid);
      long idleStart = System.nanoTime();
      Thread.sleep(TimeUnit.SECONDS.toMillis(idleSeconds));
      long cpuTicks = cpuTicks(pid) - cpuBefore;
      double idleWall = (System.nanoTime() - idleStart) / 1e9;
      double idleCpuPercent = 100.0 * (cpuTicks / 100.0) / idleWall; // USER_HZ = 100
      String report = String.format("""
          SeldonDeployments: %d in %d namespaces (1 Deployment, 2 Services, 2 Mappings each)
          all created (client side): %.1f s
          all objects present: %.1f s
          controller heap used after full GC: %.1f MiB
          controller CPU while idle over %.0f s: %.2f %% of one core
          """, count, namespaces, createdAfter, converged, heapUsedKb / 1024.0, idleWall, idleCpuPercent);
      System.out.println(report);
      Files.writeString(Path.of("target", "bench-controller.txt"), report, StandardCharsets.UTF_8);
    } finally {
      controller.destroy();
      controller.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String jcmd(long pid, String command) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  /** "def new generation total 4928K, used 1234K" + "tenured generation total ..., used ...K" (SerialGC). */
  private static long parseUsedKb(String heapInfo) {
    long used = 0;
    var m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(heapInfo);
    while (m.find()) {
      used += Long.parseLong(m.group(1));
    }
    return used;
  }

  private static long cpuTicks(long pid) throws Exception {
    String[] fields = Files.readString(Path.of("/proc", Long.toString(pid), "stat")).split("\\) ", 2)[1].split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14 and 15)
  }
}
