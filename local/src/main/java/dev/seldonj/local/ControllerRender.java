package dev.seldonj.local;

import dev.seldonj.api.manifest.Manifests;
import dev.seldonj.api.model.SeldonDeployment;
import dev.seldonj.api.validation.InvalidManifestException;
import dev.seldonj.api.validation.SeldonDeploymentValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A SeldonDeployment file -> the objects the controller would create, by the controller's own
 * {@code render} command, so the local run is the same desired state a cluster gets. The manifest is
 * validated here first (the same validators as the webhook) for a clear error, and given the run's
 * namespace when it names none, so Service DNS names in the engine's graph agree with the runner.
 */
public final class ControllerRender {

  private static final long TIMEOUT_SECONDS = 120;

  private final String java;
  private final Path controllerJar;

  public ControllerRender(String java, Path controllerJar) {
    this.java = java;
    this.controllerJar = controllerJar;
  }

  /** The render output: a {@code ---}-separated YAML stream of Kubernetes objects. */
  public String render(Path deploymentFile, String namespace) {
    SeldonDeployment sdep;
    try {
      sdep = Manifests.read(deploymentFile, SeldonDeploymentValidator.withDefaults());
    } catch (InvalidManifestException e) {
      throw new RunnerException(e.getMessage(), e);
    }
    if (sdep.getMetadata().getNamespace() == null || sdep.getMetadata().getNamespace().isEmpty()) {
      sdep.getMetadata().setNamespace(namespace);
    }
    if (!Files.isRegularFile(controllerJar)) {
      throw new RunnerException("the controller's render command is needed to run a SeldonDeployment, but "
          + controllerJar + " is not built: run `mvn -B -ntp -pl controller -am install -DskipTests` (make run does it),"
          + " or pass rendered objects with --objects FILE");
    }
    try {
      Path input = Files.createTempFile("seldonj-local-", ".yaml");
      try {
        Files.writeString(input, Manifests.toYaml(sdep));
        Process process = new ProcessBuilder(List.of(java, "-jar", controllerJar.toString(), "render", "-f",
            input.toString())).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new RunnerException("render of " + deploymentFile + " did not finish in " + TIMEOUT_SECONDS + " s");
        }
        if (process.exitValue() != 0) {
          throw new RunnerException("render of " + deploymentFile + " failed (exit code " + process.exitValue()
              + "; its error is printed above)");
        }
        return new String(out, StandardCharsets.UTF_8);
      } finally {
        Files.deleteIfExists(input);
      }
    } catch (IOException e) {
      throw new RunnerException("cannot run the controller's render: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RunnerException("interrupted while rendering", e);
    }
  }
}
