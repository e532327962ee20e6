package dev.seldonj.node.pod;

import dev.seldonj.node.container.MountPlan;
import dev.seldonj.node.container.PodFacts;
import dev.seldonj.node.container.ProcessGroups;
import dev.seldonj.node.errors.NodeException;
import dev.seldonj.node.net.PodNetNames;
import dev.seldonj.node.volume.AtomicWriter;
import dev.seldonj.node.volume.PodVolumes;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a pod's containers share: its network namespace and address (none of its own for hostNetwork),
 * its hosts and resolv.conf files, its volumes, and the mount points created on the host for it.
 * Setting up is idempotent (a failed attempt is simply repeated); tearing down removes all of it.
 */
final class PodSandbox {

    private final NodeContext ctx;
    private final String uid;
    private final boolean hostNetwork;
    private final PodNetNames names;
    private final PodDirs dirs;
    private final PodVolumes volumes;
    private final Set<MountPlan.HostPath> createdOnHost = new LinkedHashSet<>();
    private String podIp;
    private Map<String, Path> volumePaths = Map.of();
    private boolean ready;

    PodSandbox(NodeContext ctx, Pod pod, PodDirs dirs) {
        this.ctx = ctx;
        this.uid = pod.getMetadata().getUid();
        this.hostNetwork = Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
        this.names = hostNetwork ? null : PodNetNames.of(uid);
        this.dirs = dirs;
        this.volumes = new PodVolumes(dirs.volumes(), ctx.volumeFiles(), ctx.tokens(), ctx.clock());
    }

    /** Makes the network, files and volumes; returns a line describing it. */
    String setUp(Pod pod) {
        if (hostNetwork) {
            podIp = ctx.hostIp();
        } else {
            String previous = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
            try {
                podIp = ctx.addresses().allocate(uid, previous);
            } catch (IllegalStateException e) {
                throw new NodeException(e.getMessage(), e);
            }
            ctx.network().create(names, podIp);
            try {
                PodFiles.write(dirs.hosts(), PodFiles.hosts(pod, podIp));
                PodFiles.write(dirs.resolvConf(), PodFiles.resolvConf(pod));
            } catch (IOException e) {
                throw new NodeException("cannot write the pod's hosts file: " + e.getMessage(), e);
            }
        }
        volumePaths = volumes.setUp(facts(pod));
        ready = true;
        return hostNetwork ? "sandbox ready (host network)" : "sandbox ready: " + names.namespace() + ", " + podIp;
    }

    /** Rewrites volume files whose sources changed (and tokens that are due). */
    void refreshVolumes(Pod pod) {
        volumes.setUp(facts(pod));
    }

    PodFacts facts(Pod pod) {
        return new PodFacts(pod, podIp, ctx.hostIp(), ctx.allocatable());
    }

    boolean ready() {
        return ready;
    }

    String podIp() {
        return podIp;
    }

    boolean hostNetwork() {
        return hostNetwork;
    }

    /** The network namespace, or null for hostNetwork. */
    String netns() {
        return hostNetwork ? null : names.namespace();
    }

    Map<String, Path> volumePaths() {
        return volumePaths;
    }

    /** Records mount points made on the host for a container, to remove with the pod. */
    void createdOnHost(MountPlan.HostPath path) {
        createdOnHost.add(path);
    }

    /** SIGKILL to every process in the pod's network namespace, whatever its group or session. */
    void killStragglers() {
        if (!hostNetwork) {
            ctx.network().pids(names.namespace()).forEach(pid -> ProcessGroups.signalPid(pid, true));
        }
    }

    /** Removes everything; failures are returned as a line for the pod's log, or null. */
    String tearDown() {
        StringBuilder problems = new StringBuilder();
        if (!hostNetwork) {
            killStragglers();
            try {
                ctx.network().remove(names);
            } catch (NodeException e) {
                problems.append("network cleanup: ").append(e.getMessage()).append("; ");
            }
            ctx.addresses().release(uid);
        }
        try {
            volumes.tearDown();
            AtomicWriter.deleteTree(dirs.root());
        } catch (IOException e) {
            problems.append("cannot remove ").append(dirs.root()).append(": ").append(e.getMessage());
        }
        createdOnHost.forEach(h -> removeEmpty(h.path()));
        createdOnHost.clear();
        ready = false;
        return problems.isEmpty() ? null : problems.toString();
    }

    /** Removes a mount point the agent created on the host, and the empty directories above it. */
    private static void removeEmpty(Path path) {
        for (Path p = path; p != null && p.getNameCount() > 0; p = p.getParent()) {
            try {
                if (Files.isDirectory(p) || Files.size(p) == 0) {
                    Files.delete(p);
                } else {
                    return;
                }
            } catch (IOException e) {
                return; // not empty, or gone: either way, done
            }
        }
    }
}
