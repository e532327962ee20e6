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
 * A component served by a Python wrapper's {@code seldon-core-microservice <Interface>}: Seldon's own from
 * the pinned virtualenv (the default, {@link PythonWrapper#SELDON}) or this project's
 * ({@link PythonWrapper#SELDONJ}), with the environment the Seldon operator gives a component container
 * ({@code PREDICTIVE_UNIT_*}) on free ports. {@link Builder#start()} returns once both the REST and the
 * gRPC ports answer; {@link #close()} stops the process tree.
 *
 * <pre>{@code
 * try (PythonMicroservice model = PythonMicroservice.builder("MyModel").unitId("classifier").start()) {
 *   // REST on model.httpEndpoint(), gRPC on model.grpcEndpoint()
 * }
 * try (PythonMicroservice ours = PythonMicroservice.builder("MyModel").wrapper(PythonWrapper.SELDONJ).start()) {
 *   // the same class under this project's wrapper
 * }
 * }</pre>
 */
public final class PythonMicroservice implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    /** The metrics path the Seldon operator sets (the Python wrapper's own default is {@code /metrics}). */
    private static final String DEFAULT_METRICS_ENDPOINT = "/prometheus";

    private final PythonWrapper wrapper;
    private final Process process;
    private final Path log;
    private final int httpPort;
    private final int grpcPort;
    private final int metricsPort;

    private PythonMicroservice(
            PythonWrapper wrapper, Process process, Path log, int httpPort, int grpcPort, int metricsPort) {
        this.wrapper = wrapper;
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

    /** The wrapper serving this component. */
    public PythonWrapper wrapper() {
        return wrapper;
    }

    /** The process running {@code seldon-core-microservice}. */
    public Process process() {
        return process;
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

    /** {@code 127.0.0.1:<metrics port>}; the Prometheus text is at {@code /prometheus} there. */
    public String metricsEndpoint() {
        return "127.0.0.1:" + metricsPort;
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
        private PythonWrapper wrapper = PythonWrapper.SELDON;
        private Integer workers;
        private Integer threads;
        private final List<String> extraArgs = new ArrayList<>();
        private final List<String> removedEnv = new ArrayList<>();
        private boolean awaitMetrics;

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

        /** Every variable of {@code vars}, as {@link #env(String, String)}. */
        public Builder env(Map<String, String> vars) {
            env.putAll(vars);
            return this;
        }

        /**
         * Removes {@code name} from the environment the process inherits (and from what this builder set),
         * e.g. {@code PREDICTIVE_UNIT_METRICS_ENDPOINT} to get the wrapper's own default.
         */
        public Builder unsetEnv(String name) {
            env.remove(name);
            removedEnv.add(name);
            return this;
        }

        /** Which wrapper serves the class: {@link PythonWrapper#SELDON} (the default) or {@link PythonWrapper#SELDONJ}. */
        public Builder wrapper(PythonWrapper wrapper) {
            this.wrapper = wrapper;
            return this;
        }

        /** {@code --workers N}: REST worker processes (the wrappers' default is 1). */
        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        /** {@code --threads N}: threads per REST worker (the wrappers' default is 1). */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** More command-line arguments, after the ones the builder writes (e.g. {@code --grpc-workers 2}). */
        public Builder args(String... args) {
            extraArgs.addAll(List.of(args));
            return this;
        }

        /** Also wait, in {@link #start()}, until the metrics port answers {@code PREDICTIVE_UNIT_METRICS_ENDPOINT}. */
        public Builder awaitMetrics() {
            this.awaitMetrics = true;
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
            CompatEnvironment compat = compat();
            int http = Processes.freePort();
            int grpc = Processes.freePort();
            int metrics = Processes.freePort();
            List<String> command = command(compat, http, grpc, metrics);
            try {
                Path logFile = Files.createTempFile("seldon-core-microservice-" + interfaceName, ".log");
                logFile.toFile().deleteOnExit();
                ProcessBuilder pb = processBuilder(compat, command)
                        .redirectErrorStream(true)
                        .redirectOutput(logFile.toFile());
                PythonMicroservice service = new PythonMicroservice(wrapper, pb.start(), logFile, http, grpc, metrics);
                try {
                    service.awaitReady(readyTimeout, awaitMetrics ? metricsPath() : null);
                } catch (RuntimeException | Error e) {
                    service.close();
                    throw e;
                }
                return service;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + command, e);
            }
        }

        /**
         * Runs the microservice as {@link #start()} would, but waits for the process to exit by itself (for
         * start-up failures such as a bad parameter): its exit code and output. A process still running at
         * {@code timeout} is stopped and fails the call.
         */
        public Processes.Result runToExit(Duration timeout) {
            CompatEnvironment compat = compat();
            List<String> command = command(compat, Processes.freePort(), Processes.freePort(), Processes.freePort());
            return Processes.run(processBuilder(compat, command), timeout);
        }

        private CompatEnvironment compat() {
            CompatEnvironment compat = environment != null ? environment : CompatEnvironment.current();
            if (wrapper == PythonWrapper.SELDON) {
                compat.requireVenv(); // the message existing callers know
            }
            wrapper.requireMicroservice(compat);
            return compat;
        }

        private Path workDir(CompatEnvironment compat) {
            return workDir != null ? workDir : compat.pythonDir();
        }

        private String metricsPath() {
            String path = env.get("PREDICTIVE_UNIT_METRICS_ENDPOINT");
            if (path == null) {
                path = removedEnv.contains("PREDICTIVE_UNIT_METRICS_ENDPOINT") ? "/metrics" : DEFAULT_METRICS_ENDPOINT;
            }
            return path;
        }

        private List<String> command(CompatEnvironment compat, int http, int grpc, int metrics) {
            List<String> command = new ArrayList<>(List.of(
                    wrapper.microservice(compat).toString(),
                    interfaceName,
                    "--service-type",
                    serviceType,
                    "--http-port",
                    String.valueOf(http),
                    "--grpc-port",
                    String.valueOf(grpc),
                    "--metrics-port",
                    String.valueOf(metrics)));
            if (workers != null) {
                command.addAll(List.of("--workers", String.valueOf(workers)));
            }
            if (threads != null) {
                command.addAll(List.of("--threads", String.valueOf(threads)));
            }
            command.addAll(extraArgs);
            return command;
        }

        private ProcessBuilder processBuilder(CompatEnvironment compat, List<String> command) {
            ProcessBuilder pb =
                    new ProcessBuilder(command).directory(workDir(compat).toFile());
            pb.environment().put("PYTHONUNBUFFERED", "1");
            pb.environment().put("PREDICTIVE_UNIT_METRICS_ENDPOINT", DEFAULT_METRICS_ENDPOINT);
            removedEnv.forEach(pb.environment()::remove);
            pb.environment().putAll(env);
            return pb;
        }
    }

    /**
     * Polls {@code /health/ping} and the gRPC port (and the metrics path, when not null); fails at once,
     * with the log, if the process dies.
     */
    private void awaitReady(Duration timeout, String metricsPath) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest ping = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health/ping"))
                .timeout(Duration.ofSeconds(2))
                .build();
        HttpRequest scrape = metricsPath == null
                ? null
                : HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + metricsPath))
                        .timeout(Duration.ofSeconds(2))
                        .build();
        boolean http = false;
        boolean grpc = false;
        boolean metrics = scrape == null;
        try {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new AssertionError(
                            wrapper + " seldon-core-microservice exited with " + process.exitValue() + ":\n" + log());
                }
                http = http || answers(ping);
                grpc = grpc || listens(grpcPort);
                metrics = metrics || answers(scrape);
                if (http && grpc && metrics) {
                    return;
                }
                process.waitFor(50, TimeUnit.MILLISECONDS); // returns early if the process dies
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(
                    "interrupted while waiting for " + wrapper + " seldon-core-microservice", e);
        }
        throw new AssertionError(wrapper + " seldon-core-microservice not ready within " + timeout + " (REST " + http
                + ", gRPC " + grpc + ", metrics " + metrics + "):\n" + log());
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
