package dev.seldonj.engine;

import dev.seldonj.api.validation.InvalidManifestException;
import dev.seldonj.engine.config.EngineCommand;
import dev.seldonj.engine.config.EngineConfig;
import dev.seldonj.engine.config.PredictorSource;
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

  public static void main(String[] args) {
    long started = System.nanoTime();
    EngineCommand command = new EngineCommand();
    CommandLine cli = new CommandLine(command);
    EngineConfig config;
    try {
      CommandLine.ParseResult parsed = cli.parseArgs(args);
      if (CommandLine.printHelpIfRequested(parsed)) {
        return;
      }
      config = command.toConfig();
    } catch (CommandLine.ParameterException | IllegalArgumentException e) {
      System.err.println("seldonj-engine: " + e.getMessage());
      System.err.println("Run with --help for the flags.");
      System.exit(2);
      return;
    }
    StartupWarmup warmup = StartupWarmup.start(config.eventLoopThreads());
    Engine engine;
    try {
      PredictorSource.Loaded loaded = config.file() != null ? PredictorSource.fromFile(config.file(), config, command.strict())
          : PredictorSource.fromEnv(requireEnv(), config);
      engine = Engine.start(loaded, warmup.transport());
    } catch (InvalidManifestException | IllegalArgumentException | java.io.UncheckedIOException e) {
      System.err.println("seldonj-engine: " + e.getMessage());
      System.exit(1);
      return;
    } catch (RuntimeException e) {
      System.err.println("seldonj-engine: cannot start: " + e);
      System.exit(1);
      return;
    }
    if (command.dryRun()) {
      System.out.println("seldonj-engine: graph of predictor '" + engine.config().predictorName() + "' is runnable ("
          + engine.plan().nodes().size() + " nodes)");
      engine.close();
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      engine.close();
      stopped.countDown();
    }, "engine-shutdown"));
    Logger log = LoggerFactory.getLogger(EngineMain.class);
    log.info("seldonj engine serving predictor '{}' ({} nodes): HTTP on {}, gRPC on {}, started in {} ms",
        engine.config().predictorName(), engine.plan().nodes().size(), engine.httpPort(), engine.grpcPort(),
        (System.nanoTime() - started) / 1_000_000);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String requireEnv() {
    String value = System.getenv("ENGINE_PREDICTOR");
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("no graph: pass --file <SeldonDeployment file> or set ENGINE_PREDICTOR");
    }
    return value;
  }
}
