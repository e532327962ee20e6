package dev.seldonj.node.pod;

import dev.seldonj.local.errors.RunnerException;
import dev.seldonj.local.images.ImageCommand;
import dev.seldonj.node.container.BindMount;
import dev.seldonj.node.container.ContainerCommand;
import dev.seldonj.node.container.ContainerConfigException;
import dev.seldonj.node.container.ContainerLauncher;
import dev.seldonj.node.container.ContainerProcess;
import dev.seldonj.node.container.Expansion;
import dev.seldonj.node.container.HostFs;
import dev.seldonj.node.container.MountPlan;
import dev.seldonj.node.container.Security;
import dev.seldonj.node.container.UserAccess;
import dev.seldonj.node.errors.NodeException;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Starts one container of a pod: its image's local command, its environment, its program line, the
 * identity it runs as, its mounts, then the process. Anything that keeps it from starting is a
 * {@link ContainerConfigException} whose reason becomes the container's waiting reason.
 */
final class ContainerStarter {

    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** A started container and what its probes and hooks need to reach it. */
    record Started(ContainerProcess process, List<String> program, Map<String, String> env, Security security) {}

    private final NodeContext ctx;
    private final PodDirs dirs;
    private final PodSandbox sandbox;
    private final Consumer<String> events;

    ContainerStarter(NodeContext ctx, PodDirs dirs, PodSandbox sandbox, Consumer<String> events) {
        this.ctx = ctx;
        this.dirs = dirs;
        this.sandbox = sandbox;
        this.events = events;
    }

    /**
     * @param run the run's number (restartCount), which names its log file
     */
    Started start(Pod pod, Container spec, int run) {
        String image = spec.getImage();
        ImageCommand mapped = resolveImage(image, pod, spec.getName());
        Security security = Security.of(pod.getSpec().getSecurityContext(), spec);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", DEFAULT_PATH));
        env.put("HOSTNAME", sandbox.hostNetwork() ? hostName() : PodFiles.hostname(pod));
        env.put("HOME", security.uid() == null || security.uid() == 0 ? "/root" : "/");
        env.putAll(mapped.env());
        env.putAll(
                ctx.env().resolve(spec, sandbox.facts(pod), PodFiles.kubernetesService(ctx.hostIp(), ctx.apiPort())));
        List<String> program = ContainerCommand.of(image, spec, mapped, env);
        if (security.uid() != null) {
            long gid = security.gid() == null ? 0 : security.gid();
            Optional<Path> unreadable = UserAccess.firstUnreadable(
                    UserAccess.withWhatExecReads(program, env.get("PATH")), security.uid(), gid, security.groups());
            if (unreadable.isPresent()) {
                events.accept("warning: container " + spec.getName() + ": " + unreadable.get()
                        + " is not readable by uid " + security.uid()
                        + " on this machine; running it as root instead of runAsUser " + security.uid());
                security = security.asRoot();
            }
        }
        boolean host = sandbox.hostNetwork();
        MountPlan.Plan plan = MountPlan.of(
                new MountPlan.Spec(
                        host ? null : PodFiles.hostname(pod),
                        mounts(spec, env),
                        host ? null : dirs.hosts(),
                        host ? null : dirs.resolvConf(),
                        security.readOnlyRoot(),
                        workingDir(spec, mapped),
                        dirs.scratch(spec.getName()),
                        dirs.root(),
                        programFiles(program)),
                HostFs.REAL);
        prepare(plan, spec.getName());
        ContainerProcess process = ctx.launcher()
                .start(new ContainerLauncher.Launch(
                        sandbox.netns(),
                        plan.script(),
                        security,
                        program,
                        env,
                        dirs.log(spec.getName(), run),
                        dirs.pidFile(spec.getName())));
        return new Started(process, program, env, security);
    }

    /** The program's arguments that are files on this machine (the JVM, a jar of the checkout). */
    private static List<Path> programFiles(List<String> program) {
        return program.stream()
                .filter(a -> a.startsWith("/"))
                .map(Path::of)
                .filter(Files::isRegularFile)
                .toList();
    }

    private ImageCommand resolveImage(String image, Pod pod, String container) {
        try {
            return ctx.images()
                    .resolve(
                            image,
                            "container " + pod.getMetadata().getNamespace() + "/"
                                    + pod.getMetadata().getName() + "/" + container);
        } catch (RunnerException e) {
            String reason = e.getMessage().contains("not built yet")
                    ? "ImageNotBuilt"
                    : ContainerConfigException.IMAGE_NOT_MAPPED;
            throw new ContainerConfigException(reason, e.getMessage().replace("\n", " "));
        }
    }

    private List<BindMount> mounts(Container spec, Map<String, String> env) {
        List<BindMount> mounts = new ArrayList<>();
        for (VolumeMount m : spec.getVolumeMounts()) {
            Path source = sandbox.volumePaths().get(m.getName());
            if (source == null) {
                throw new ContainerConfigException(
                        ContainerConfigException.CONFIG_ERROR,
                        "volumeMount " + m.getName() + ": the pod has no volume of that name");
            }
            String sub = m.getSubPathExpr() != null && !m.getSubPathExpr().isEmpty()
                    ? Expansion.expand(m.getSubPathExpr(), env)
                    : m.getSubPath();
            if (sub != null && !sub.isEmpty()) {
                if (sub.startsWith("/") || List.of(sub.split("/")).contains("..")) {
                    throw new ContainerConfigException(
                            ContainerConfigException.CONFIG_ERROR,
                            "volumeMount " + m.getName() + ": subPath " + sub
                                    + " must be a relative path without '..'");
                }
                source = source.resolve(sub);
                if (!Files.exists(source)) {
                    try {
                        Files.createDirectories(source);
                    } catch (IOException e) {
                        throw new NodeException("cannot create subPath " + source + ": " + e.getMessage(), e);
                    }
                }
            }
            mounts.add(new BindMount(m.getMountPath(), source, Boolean.TRUE.equals(m.getReadOnly())));
        }
        return mounts;
    }

    /** The container's workingDir when it exists on this machine, else the image map's, else /. */
    private static String workingDir(Container spec, ImageCommand mapped) {
        if (spec.getWorkingDir() != null
                && !spec.getWorkingDir().isEmpty()
                && Files.isDirectory(Path.of(spec.getWorkingDir()))) {
            return spec.getWorkingDir();
        }
        return mapped.workingDir() == null ? null : mapped.workingDir().toString();
    }

    private void prepare(MountPlan.Plan plan, String container) {
        try {
            Files.createDirectories(dirs.scratch(container));
            for (MountPlan.HostPath h : plan.createInVolumes()) {
                createPath(h);
            }
            for (MountPlan.HostPath h : plan.onHost()) {
                if (!Files.exists(h.path())) {
                    createPath(h);
                    sandbox.createdOnHost(h);
                    events.accept(
                            "warning: created mount point " + h.path() + " on the host (removed when the pod is gone)");
                }
            }
        } catch (IOException e) {
            throw new NodeException("cannot create a mount point: " + e.getMessage(), e);
        }
    }

    private static void createPath(MountPlan.HostPath h) throws IOException {
        if (h.directory()) {
            Files.createDirectories(h.path());
        } else {
            Files.createDirectories(h.path().getParent());
            if (!Files.exists(h.path())) {
                Files.createFile(h.path());
            }
        }
    }

    private String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return ctx.nodeName();
        }
    }
}
