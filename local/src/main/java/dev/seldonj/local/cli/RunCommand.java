package dev.seldonj.local.cli;

import dev.seldonj.local.DeploymentRenderer;
import dev.seldonj.local.LocalRunner;
import dev.seldonj.local.RunOptions;
import dev.seldonj.local.RunningDeployment;
import dev.seldonj.local.errors.RunnerException;
import dev.seldonj.local.images.ImageCommands;
import dev.seldonj.local.plan.RunPlan;
import dev.seldonj.local.ports.PortAllocator;
import dev.seldonj.local.process.LocalProcess;
import dev.seldonj.local.process.ProcessSupervisor;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code run -f deployment.yaml}: render (in-process, {@link DeploymentRenderer}), start, wait for readiness, serve the gateway until Ctrl-C. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Runs a SeldonDeployment (or rendered objects) locally until Ctrl-C.")
public final class RunCommand implements Callable<Integer> {

    static final class Input {
        @Option(
                names = {"-f", "--filename"},
                required = true,
                description = "SeldonDeployment YAML or JSON file.")
        Path deployment;

        @Option(
                names = "--objects",
                required = true,
                description =
                        "Rendered Kubernetes objects (the output of the controller's `render -f`) instead of a SeldonDeployment.")
        Path objects;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(
            names = {"-n", "--namespace"},
            defaultValue = "default",
            description = "Namespace of a deployment that names none (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(
            names = "--images",
            description = "YAML map of image -> {command, workingDir, env} for images not built in.")
    Path images;

    @Option(
            names = "--gateway-port",
            defaultValue = "" + RunOptions.DEFAULT_REST_PORT,
            description = "Gateway port, REST and gRPC (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int gatewayPort;

    @Option(
            names = "--grpc-gateway-port",
            defaultValue = "" + RunOptions.DEFAULT_GRPC_PORT,
            description = "A separate gRPC gateway port; -1 (default) serves gRPC on --gateway-port, as Emissary does.")
    int grpcGatewayPort;

    @Option(names = "--seed", description = "Seed for traffic-split decisions (reproducible runs).")
    Long seed;

    @Option(
            names = "--ready-timeout",
            defaultValue = "120",
            description = "Seconds every container together may take to get ready (default: ${DEFAULT-VALUE}).")
    long readyTimeoutSeconds;

    @Option(
            names = "--repo-dir",
            description = "The seldonj checkout whose build outputs run this project's images "
                    + "(default: the nearest parent of the working directory with the seldonj pom).")
    Path repoDir;

    @Option(
            names = "--pvc-dir",
            defaultValue = RunOptions.DEFAULT_PVC_DIR,
            description =
                    "Folder holding one folder per PersistentVolumeClaim a pod mounts (pvc://<claim>/... model URIs;"
                            + " default: ./${DEFAULT-VALUE}).")
    Path pvcDir;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        AtomicReference<RunningDeployment> running = new AtomicReference<>();
        ProcessSupervisor supervisor = new ProcessSupervisor(line -> {
            synchronized (out) {
                out.println(line);
            }
        });
        Thread hook = new Thread(
                () -> {
                    RunningDeployment deployment = running.get();
                    if (deployment != null) {
                        deployment.close();
                    } else {
                        supervisor.close();
                    }
                },
                "stop-local-processes");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Path repo =
                    repoDir != null ? repoDir : RepoDir.locate(Path.of("").toAbsolutePath(), RepoDir.codeLocation());
            String java = ProcessHandle.current().info().command().orElse("java");
            RunPlan plan = plan();
            RunOptions options = new RunOptions(
                    ImageCommands.load(repo, java, images),
                    gatewayPort,
                    grpcGatewayPort,
                    seed == null ? new Random() : new Random(seed),
                    Duration.ofSeconds(readyTimeoutSeconds),
                    supervisor.output(),
                    PortAllocator.ephemeral(),
                    pvcDir);
            RunningDeployment deployment = LocalRunner.start(plan, options, supervisor);
            running.set(deployment);
            out.println("runner | ready. Try:");
            deployment.usage().forEach(line -> out.println("  " + line));
            out.println("runner | Ctrl-C stops every process.");
            LocalProcess exited = deployment.firstUnexpectedExit().join();
            System.err.println("error: " + exited.name() + " exited with code " + exited.exitCode()
                    + "; stopping the others. Last output:\n" + exited.describeOutput());
            deployment.close();
            return 1;
        } catch (RunnerException | UncheckedIOException e) {
            System.err.println("error: " + e.getMessage());
            supervisor.close();
            return 2;
        }
    }

    private RunPlan plan() {
        if (input.objects != null) {
            try {
                return RunPlan.fromYaml(Files.readString(input.objects), input.objects.toString(), namespace);
            } catch (IOException e) {
                throw new RunnerException("cannot read " + input.objects + ": " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new RunnerException(e.getMessage(), e);
            }
        }
        if (!Files.isRegularFile(input.deployment)) {
            throw new RunnerException("no such file: " + input.deployment);
        }
        return RunPlan.of(new DeploymentRenderer().render(input.deployment, namespace), namespace);
    }
}
