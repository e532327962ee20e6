package dev.seldonj.local;

import dev.seldonj.local.errors.RunnerException;
import dev.seldonj.local.gateway.Gateway;
import dev.seldonj.local.gateway.Routes;
import dev.seldonj.local.images.ImageCommand;
import dev.seldonj.local.plan.PodPlan;
import dev.seldonj.local.plan.RunPlan;
import dev.seldonj.local.ports.ContainerRewriter;
import dev.seldonj.local.ports.LocalPorts;
import dev.seldonj.local.process.LocalProcess;
import dev.seldonj.local.process.ProcessSupervisor;
import dev.seldonj.local.process.ReadinessCheck;
import dev.seldonj.local.process.ReadinessWaiter;
import dev.seldonj.local.volumes.LocalVolumes;
import io.fabric8.kubernetes.api.model.Container;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs a plan on this machine: every container of every pod as a local process with the env, args and
 * ports it would get in its pod (ports moved to free local numbers), waits for their readiness, then
 * serves the gateway. Everything is checked before the first process starts (unknown images,
 * unresolvable Services), and a failure after that stops what was started.
 */
public final class LocalRunner {

    private LocalRunner() {}

    /** One container, ready to start. */
    private record Launch(
            PodPlan pod, Container container, List<String> command, Map<String, String> env, Path workingDir) {

        String name() {
            return pod.name() + "/" + container.getName();
        }
    }

    public static RunningDeployment start(RunPlan plan, RunOptions options) {
        return start(plan, options, new ProcessSupervisor(options.output()));
    }

    /**
     * Runs the plan with a supervisor the caller holds, so that a Ctrl-C during start-up (a shutdown
     * hook closing it) stops what was started so far.
     */
    public static RunningDeployment start(RunPlan plan, RunOptions options, ProcessSupervisor supervisor) {
        if (plan.pods().isEmpty()) {
            throw new RunnerException("the rendered objects contain no Deployment: nothing to run");
        }
        Gateway.requireFree(options.restPort(), "--gateway-port");
        if (options.grpcPort() != Gateway.SAME_PORT) {
            Gateway.requireFree(options.grpcPort(), "--grpc-gateway-port");
        }
        LocalPorts ports = LocalPorts.assign(plan, options.ports());
        ContainerRewriter rewriter = new ContainerRewriter(ports);
        LocalVolumes volumes =
                LocalVolumes.create(options.pvcDir(), w -> options.output().accept("runner | warning: " + w));
        List<Launch> inits = new ArrayList<>();
        List<Launch> containers = new ArrayList<>();
        try {
            for (PodPlan pod : plan.pods()) {
                pod.initContainers().forEach(c -> inits.add(launch(pod, c, rewriter, volumes, options)));
                pod.containers().forEach(c -> containers.add(launch(pod, c, rewriter, volumes, options)));
            }
        } catch (RuntimeException e) {
            volumes.close();
            throw e;
        }
        Routes routes = Routes.of(plan.mappings(), ports, options.random());
        for (PodPlan pod : plan.pods()) {
            options.output()
                    .accept("runner | pod " + pod.qualifiedName() + " ports: "
                            + ports.of(pod).entrySet().stream()
                                    .sorted(Map.Entry.comparingByKey())
                                    .map(e -> e.getKey() + " -> 127.0.0.1:" + e.getValue())
                                    .collect(Collectors.joining(", ")));
        }
        if (plan.mappings().isEmpty()) {
            options.output()
                    .accept(
                            "runner | warning: no Emissary Mapping in the rendered objects; the gateway routes nothing");
        }

        try {
            for (Launch init : inits) {
                options.output().accept("runner | running init container " + init.name());
                supervisor.runToCompletion(
                        init.name(),
                        init.command(),
                        init.env(),
                        init.workingDir(),
                        options.readyTimeout().toSeconds());
            }
            List<ReadinessWaiter.Pending> pending = new ArrayList<>();
            for (Launch c : containers) {
                options.output().accept("runner | starting " + c.name() + ": " + String.join(" ", c.command()));
                LocalProcess process = supervisor.start(c.name(), c.command(), c.env(), c.workingDir());
                pending.add(new ReadinessWaiter.Pending(process, ReadinessCheck.of(c.pod(), c.container(), ports)));
            }
            ReadinessWaiter.await(pending, options.readyTimeout());
            Gateway gateway = Gateway.start(routes, options.restPort(), options.grpcPort());
            return new RunningDeployment(supervisor, gateway, routes, ports, volumes);
        } catch (IOException | RuntimeException e) {
            supervisor.close();
            volumes.close();
            if (e instanceof IOException io) {
                throw new RunnerException("cannot open the gateway port: " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    private static Launch launch(
            PodPlan pod, Container container, ContainerRewriter rewriter, LocalVolumes volumes, RunOptions options) {
        String name = pod.name() + "/" + container.getName();
        ImageCommand image = options.images().resolve(container.getImage(), "container " + name);
        if (!container.getCommand().isEmpty()) {
            options.output()
                    .accept("runner | " + name + ": its command " + container.getCommand()
                            + " names a program inside the image; the images map's command runs instead");
        }
        List<String> command = new ArrayList<>(image.command());
        command.addAll(rewriter.args(pod, container));
        Map<String, String> env = new LinkedHashMap<>(image.env());
        env.putAll(rewriter.env(pod, container, w -> options.output().accept("runner | warning: " + w)));
        LocalVolumes.PathRewriter paths = volumes.forContainer(pod, container);
        env.replaceAll((k, v) -> paths.rewrite(v));
        return new Launch(pod, container, paths.rewrite(command), env, image.workingDir());
    }
}
