package dev.seldonj.compat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A component served by Seldon's own Python wrapper: {@code seldon-core-microservice <Interface>} from
 * the pinned virtualenv, with the environment the Seldon operator gives a component container
 * ({@code PREDICTIVE_UNIT_*}) on free ports. {@link Builder#start()} returns once both the REST and the
 * gRPC ports answer; {@link #close()} stops the process tree.
 *
 * <pre>{@code
 * try (PythonMicroservice model = PythonMicroservice.builder("MyModel").unitId("classifier").start()) {
 *   // REST on model.httpEndpoint(), gRPC on model.grpcEndpoint()
 * }
 * }</pre>
 */
public final class PythonMicroservice implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final Path log;
  private final int httpPort;
  private final int grpcPort;
  private final int metricsPort;

  private PythonMicroservice(Process process, Path log, int httpPort, int grpcPort, int metricsPort) {
    this.process = process;
    this.log = log;
    this.httpPort = httpPort;
    this.grpcPort = grpcPort;
    this.metricsPort = metricsPort;
  }

  /** A builder for the Python class {@code interfaceName} (a module of the same name in the work dir). */
  public static Builder builder(String interfaceName) {
    return new Builder(interfaceName);
  }

  public int httpPort() {
    return httpPort;
  }

  public int grpcPort() {
    return grpcPort;
  }

  public int metricsPort() {
    return metricsPort;
  }

  /** {@code 127.0.0.1:<http port>}, the form SeldonClient and graph endpoints use. */
  public String httpEndpoint() {
    return "127.0.0.1:" + httpPort;
  }

  public String grpcEndpoint() {
    return "127.0.0.1:" + grpcPort;
  }

  /** What the microservice has printed so far. */
  public String log() {
    return Processes.readLog(log);
  }

  @Override
  public void close() {
    Processes.destroyTree(process);
  }

  /** Options of one microservice; defaults as in a Seldon pod running a MODEL. */
  public static final class Builder {
    private final String interfaceName;
    private String serviceType = "MODEL";
    private Path workDir;
    private final Map<String, String> env = new LinkedHashMap<>();
    private Duration readyTimeout = Duration.ofSeconds(90);
    private CompatEnvironment environment;

    private Builder(String interfaceName) {
      this.interfaceName = interfaceName;
    }

    /** MODEL, ROUTER, TRANSFORMER, OUTPUT_TRANSFORMER or COMBINER. */
    public Builder serviceType(String type) {
      this.serviceType = type;
      return this;
    }

    /** The directory holding the model's module; default {@code compat/python}. */
    public Builder workDir(Path dir) {
      this.workDir = dir;
      return this;
    }

    /** {@code PREDICTIVE_UNIT_PARAMETERS}: a JSON list of {@code {name, value, type}}. */
    public Builder parameters(String json) {
      return env("PREDICTIVE_UNIT_PARAMETERS", json);
    }

    /** {@code PREDICTIVE_UNIT_ID}: the graph node's name (it appears in {@code meta.requestPath}). */
    public Builder unitId(String id) {
      return env("PREDICTIVE_UNIT_ID", id);
    }

    public Builder image(String image) {
      return env("PREDICTIVE_UNIT_IMAGE", image);
    }

    public Builder env(String name, String value) {
      env.put(name, value);
      return this;
    }

    public Builder readyTimeout(Duration timeout) {
      this.readyTimeout = timeout;
      return this;
    }

    public Builder environment(CompatEnvironment environment) {
      this.environment = environment;
      return this;
    }

    public PythonMicroservice start() {
      CompatEnvironment compat = (environment != null ? environment : CompatEnvironment.current()).requireVenv();
      int http = Processes.freePort();
      int grpc = Processes.freePort();
      int metrics = Processes.freePort();
      List<String> command = new ArrayList<>(List.of(compat.bin("seldon-core-microservice").toString(), interfaceName,
          "--service-type", serviceType, "--http-port", String.valueOf(http), "--grpc-port", String.valueOf(grpc),
          "--metrics-port", String.valueOf(metrics)));
      try {
        Path logFile = Files.createTempFile("seldon-core-microservice-" + interfaceName, ".log");
        logFile.toFile().deleteOnExit();
        ProcessBuilder pb = new ProcessBuilder(command)
            .directory((workDir != null ? workDir : compat.pythonDir()).toFile())
            .redirectErrorStream(true).redirectOutput(logFile.toFile());
        pb.environment().put("PYTHONUNBUFFERED", "1");
        pb.environment().put("PREDICTIVE_UNIT_METRICS_ENDPOINT", "/prometheus");
        pb.environment().putAll(env);
        PythonMicroservice service = new PythonMicroservice(pb.start(), logFile, http, grpc, metrics);
        try {
          service.awaitReady(readyTimeout);
        } catch (RuntimeException | Error e) {
          service.close();
          throw e;
        }
        return service;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start " + command, e);
      }
    }
  }

  /** Polls {@code /health/ping} and the gRPC port; fails at once, with the log, if the process dies. */
  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpRequest ping = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health/ping"))
        .timeout(Duration.ofSeconds(2)).build();
    boolean http = false;
    boolean grpc = false;
    try {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new AssertionError("seldon-core-microservice exited with " + process.exitValue() + ":\n" + log());
        }
        http = http || answers(ping);
        grpc = grpc || listens(grpcPort);
        if (http && grpc) {
          return;
        }
        process.waitFor(50, TimeUnit.MILLISECONDS); // returns early if the process dies
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for seldon-core-microservice", e);
    }
    throw new AssertionError("seldon-core-microservice not ready within " + timeout + " (REST " + http + ", gRPC "
        + grpc + "):\n" + log());
  }

  private static boolean answers(HttpRequest ping) throws InterruptedException {
    try {
      return HTTP.send(ping, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
    } catch (ConnectException e) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean listens(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The log file, for tests that want to attach it. */
  public File logFile() {
    return log.toFile();
  }
}
