package dev.seldonj.engine;

import dev.seldonj.api.validation.InvalidManifestException;
import dev.seldonj.engine.config.EngineCommand;
import io.netty.util.ResourceLeakDetector;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * {@code java -jar seldonj-engine.jar [executor flags]}: reads the graph from {@code --file} or
 * {@code ENGINE_PREDICTOR}, starts the engine and runs until stopped. Exit code 2 for a bad command
 * line, 1 when the graph cannot run; both with a message and no stack trace.
 */
public final class EngineMain {

    private EngineMain() {}

    /** Netty's switch for its buffer-leak sampling; set it to sample again (e.g. {@code simple}). */
    static final String LEAK_DETECTION = "io.netty.leakDetection.level";

    public static void main(String[] args) {
        long started = System.nanoTime();
        // Netty samples one buffer in 128 by default and records a stack trace at its allocation and
        // release: ~4 % of the gRPC path's CPU. The engine accounts its buffers itself (MemoryBudget,
        // released with each request); -Dio.netty.leakDetection.level=simple turns sampling back on.
        if (System.getProperty(LEAK_DETECTION) == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        // First: picocli's classes (compiled for Java 5) cannot be class-data-shared, so parsing is slow
        // enough to overlap with the warm-up.
        StartupWarmup.start(args);
        EngineCommand command = new EngineCommand();
        Map<String, Object> properties = new LinkedHashMap<>();
        try {
            CommandLine.ParseResult parsed = new CommandLine(command).parseArgs(args);
            if (CommandLine.printHelpIfRequested(parsed)) {
                return;
            }
        } catch (CommandLine.ParameterException e) {
            System.err.println("seldonj-engine: " + e.getMessage());
            System.err.println("Run with --help for the flags.");
            System.exit(2);
            return;
        }
        properties.putAll(EngineCommand.environmentProperties(System.getenv()));
        properties.putAll(command.properties());
        EngineApplication app;
        try {
            app = EngineApplication.start(properties);
        } catch (InvalidManifestException | IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            System.err.println("seldonj-engine: " + e.getMessage());
            System.exit(1);
            return;
        } catch (RuntimeException e) {
            System.err.println("seldonj-engine: cannot start: " + e);
            System.exit(1);
            return;
        }
        Engine engine = app.engine();
        if (command.dryRun()) {
            System.out.println(
                    "seldonj-engine: graph of predictor '" + engine.config().predictorName() + "' is runnable ("
                            + engine.plan().nodes().size() + " nodes)");
            app.close();
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            app.close();
                            stopped.countDown();
                        },
                        "engine-shutdown"));
        Logger log = LoggerFactory.getLogger(EngineMain.class);
        log.info(
                "seldonj engine serving predictor '{}' ({} nodes): HTTP on {}, gRPC on {}, started in {} ms",
                engine.config().predictorName(),
                engine.plan().nodes().size(),
                app.httpPort(),
                app.grpcPort(),
                (System.nanoTime() - started) / 1_000_000);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
