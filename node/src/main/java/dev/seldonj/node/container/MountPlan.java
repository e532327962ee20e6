package dev.seldonj.node.container;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a container's volumeMounts into the shell script that runs first in the container's own mount
 * (and UTS) namespace, and ends with {@code exec "$@"} (the container's program). Mounts made there are
 * invisible to the host. Where a mountPath does not exist on this machine, the plan makes one without
 * touching the host where it can:
 * <ul>
 *   <li>inside an earlier volume: the directory or file is created in that volume's host directory, as a
 *       container runtime does;</li>
 *   <li>under {@code /run} (so {@code /var/run/secrets/...}): a tmpfs is mounted over {@code /run} first
 *       (a container would not see the host's /run anyway), then the path is made in it;</li>
 *   <li>elsewhere below an existing directory other than {@code /}: an overlay (the host directory as its
 *       read-only lower layer, a tmpfs as its upper layer) is mounted on that directory, then the path is
 *       made in the overlay: the container sees the host's files plus the new path, the host sees nothing;</li>
 *   <li>whose nearest existing directory is {@code /} (e.g. {@code /app/config}): the mount point is created
 *       on the host (the one visible side effect: empty, listed in {@link Plan#onHost()} so the agent removes
 *       it when the pod is gone).</li>
 * </ul>
 * A volume mounted over a directory that holds the agent's state (e.g. an emptyDir on /tmp while the
 * state directory is under /tmp) would hide the sources of the mounts after it. So the script first
 * changes to the pod's directory and names every source below it by a relative path, which the kernel
 * resolves from that working directory even once its path is covered ({@code mount -c} keeps mount(8)
 * from turning it back into the covered absolute path).
 * With readOnlyRootFilesystem every other mount is then remounted read-only (a bind remount: per mount,
 * this namespace only), except the volumes, /proc, /sys, /dev and the pod's /etc/hosts.
 */
public final class MountPlan {

    /**
     * What the script sets up.
     *
     * @param hostname the pod's hostname, or null to keep the host's (hostNetwork pods)
     * @param hostsFile bind-mounted on /etc/hosts, or null
     * @param resolvConf bind-mounted on /etc/resolv.conf, or null
     * @param workingDir where the program starts, or null for /
     * @param scratch an empty host directory of this container's; the overlays' upper layers live on a tmpfs
     *     mounted there (inside the namespace)
     * @param base the pod's own directory, which holds its volumes, hosts file and scratch directories: the
     *     script works from there and names what is below it by relative paths (see {@link MountPlan})
     * @param programFiles host files the program runs from (the JVM, a jar of this checkout): a volume
     *     mounted over a directory holding one (an emptyDir on /tmp while the checkout lives under /tmp)
     *     must not hide it, so each such file is bound again at its path once the volumes are mounted
     */
    public record Spec(
            String hostname,
            List<BindMount> mounts,
            Path hostsFile,
            Path resolvConf,
            boolean readOnlyRoot,
            String workingDir,
            Path scratch,
            Path base,
            List<Path> programFiles) {

        public Spec(
                String hostname,
                List<BindMount> mounts,
                Path hostsFile,
                Path resolvConf,
                boolean readOnlyRoot,
                String workingDir,
                Path scratch,
                Path base) {
            this(hostname, mounts, hostsFile, resolvConf, readOnlyRoot, workingDir, scratch, base, List.of());
        }
    }

    /** A path to create on the host before the container starts. */
    public record HostPath(Path path, boolean directory) {}

    /**
     * @param script the {@code sh -c} script
     * @param createInVolumes mount points to create inside volumes' host directories
     * @param onHost mount points to create on the host's root file system (remove them, and the empty
     *     directories above them, when the pod is gone)
     */
    public record Plan(String script, List<HostPath> createInVolumes, List<HostPath> onHost) {}

    private static final Path ROOT = Path.of("/");
    private static final Path RUN = Path.of("/run");

    private MountPlan() {}

    public static Plan of(Spec spec, HostFs fs) {
        List<BindMount> mounts = new ArrayList<>(spec.mounts());
        // Parents before children, as container runtimes mount them.
        mounts.sort(Comparator.comparingInt(m -> Path.of(m.target()).normalize().getNameCount()));

        List<Mounted> done = new ArrayList<>();
        Set<Path> overlayRoots = new LinkedHashSet<>();
        boolean runTmpfs = false;
        List<String> binds = new ArrayList<>();
        List<HostPath> inVolumes = new ArrayList<>();
        List<HostPath> onHost = new ArrayList<>();

        for (BindMount mount : mounts) {
            Path target = Path.of(mount.target()).normalize();
            if (!target.isAbsolute()) {
                throw new ContainerConfigException(
                        ContainerConfigException.CONFIG_ERROR, "mountPath " + mount.target() + " is not absolute");
            }
            boolean directory = fs.isDirectory(mount.source());
            Canonical c = canonical(target, done, fs);
            String create = "";
            if (c.coveredBy() != null) {
                Path inVolume =
                        c.coveredBy().source().resolve(c.coveredBy().target().relativize(c.path()));
                if (!fs.exists(inVolume)) {
                    inVolumes.add(new HostPath(inVolume, directory));
                }
            } else if (c.path().startsWith(RUN) && !c.path().equals(RUN)) {
                runTmpfs = true;
                create = makeIn(c.path(), directory);
            } else if (!c.exists()) {
                if (c.nearest().equals(ROOT)) {
                    onHost.add(new HostPath(c.path(), directory));
                } else {
                    overlayRoots.add(c.nearest());
                    create = makeIn(c.path(), directory);
                }
            }
            done.add(new Mounted(c.path(), mount.source()));
            StringBuilder line = new StringBuilder(create);
            line.append("mount -c --bind ")
                    .append(q(local(spec, mount.source())))
                    .append(' ')
                    .append(q(c.path().toString()));
            if (mount.readOnly()) {
                line.append(" && mount -o remount,bind,ro ").append(q(c.path().toString()));
            }
            binds.add(line.toString());
        }

        StringBuilder s = new StringBuilder("set -e\n");
        s.append("cd ").append(q(spec.base().toString())).append('\n');
        if (spec.hostname() != null) {
            s.append("printf %s ").append(q(spec.hostname())).append(" > /proc/sys/kernel/hostname\n");
        }
        List<Path> roots = shallowest(overlayRoots);
        if (!roots.isEmpty()) {
            String scratch = local(spec, spec.scratch());
            s.append("mount -c -t tmpfs -o mode=0700 seldonj-scratch ")
                    .append(q(scratch))
                    .append('\n');
            int i = 0;
            for (Path root : roots) {
                String upper = scratch + "/o" + i + "/upper";
                String work = scratch + "/o" + i + "/work";
                s.append("mkdir -p ")
                        .append(q(upper))
                        .append(' ')
                        .append(q(work))
                        .append('\n');
                s.append("mount -t overlay seldonj-overlay -o ")
                        .append(q("lowerdir=" + root + ",upperdir=" + upper + ",workdir=" + work))
                        .append(' ')
                        .append(q(root.toString()))
                        .append('\n');
                i++;
            }
        }
        if (runTmpfs) {
            s.append("mount -t tmpfs -o mode=0755,nosuid,nodev seldonj-run /run\n");
        }
        boolean runCovered = runTmpfs;
        List<Path> hidden = spec.programFiles().stream()
                .filter(f -> done.stream().anyMatch(m -> f.normalize().startsWith(m.target()))
                        || (runCovered && f.normalize().startsWith(RUN)))
                .toList();
        for (int i = 0; i < hidden.size(); i++) {
            // Held by a bind under the pod's directory, which the working directory keeps reachable.
            s.append("mkdir -p ./program && : > ./program/")
                    .append(i)
                    .append(" && mount -c --bind ")
                    .append(q(hidden.get(i).toString()))
                    .append(" ./program/")
                    .append(i)
                    .append('\n');
        }
        binds.forEach(b -> s.append(b).append('\n'));
        for (int i = 0; i < hidden.size(); i++) {
            Path file = hidden.get(i).normalize();
            s.append("mkdir -p ")
                    .append(q(file.getParent().toString()))
                    .append(" && : > ")
                    .append(q(file.toString()))
                    .append(" && mount -c --bind ./program/")
                    .append(i)
                    .append(' ')
                    .append(q(file.toString()))
                    .append('\n');
        }
        List<String> kept =
                new ArrayList<>(done.stream().map(m -> m.target().toString()).toList());
        hidden.forEach(f -> kept.add(f.normalize().toString()));
        if (spec.hostsFile() != null && done.stream().noneMatch(m -> m.target().equals(Path.of("/etc/hosts")))) {
            s.append("mount -c --bind ")
                    .append(q(local(spec, spec.hostsFile())))
                    .append(" /etc/hosts\n");
            kept.add("/etc/hosts");
        }
        if (spec.resolvConf() != null && done.stream().noneMatch(m -> m.target().equals(Path.of("/etc/resolv.conf")))) {
            s.append("mount -c --bind ")
                    .append(q(local(spec, spec.resolvConf())))
                    .append(" /etc/resolv.conf\n");
        }
        if (spec.readOnlyRoot()) {
            s.append("mount -o remount,bind,ro /\n");
            StringBuilder pattern = new StringBuilder("/|/proc|/proc/*|/sys|/sys/*|/dev|/dev/*");
            for (String k : kept) {
                pattern.append('|').append(q(k)).append('|').append(q(k)).append("/*");
            }
            s.append("for m in $(cut -d' ' -f5 /proc/self/mountinfo); do case \"$m\" in ")
                    .append(pattern)
                    .append(") ;; *) mount -o remount,bind,ro \"$m\" 2>/dev/null || true ;; esac; done\n");
        }
        String dir = spec.workingDir() == null ? "/" : spec.workingDir();
        s.append("cd ")
                .append(q(dir))
                .append(" || { echo \"working directory ")
                .append(dir.replace("'", ""))
                .append(" does not exist\" >&2; exit 1; }\n");
        s.append("exec \"$@\"\n");
        return new Plan(s.toString(), List.copyOf(inVolumes), List.copyOf(onHost));
    }

    private record Mounted(Path target, Path source) {}

    /**
     * The target with symlinks of its existing part resolved (so /var/run/x is /run/x), whether it exists,
     * its nearest existing ancestor, and the earlier mount it lies in, if any.
     */
    private record Canonical(Path path, boolean exists, Path nearest, Mounted coveredBy) {}

    private static Canonical canonical(Path target, List<Mounted> done, HostFs fs) {
        Path existing = target;
        while (existing != null && !fs.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            existing = ROOT;
        }
        Path real = fs.realPath(existing);
        Path path = real.resolve(existing.relativize(target)).normalize();
        Mounted covering = null;
        for (Mounted m : done) {
            if (path.startsWith(m.target())
                    && !path.equals(m.target())
                    && (covering == null
                            || m.target().getNameCount() > covering.target().getNameCount())) {
                covering = m;
            }
        }
        return new Canonical(path, existing.equals(target), real, covering);
    }

    /** A path below the pod's directory as {@code ./relative} (see the class comment), any other as it is. */
    private static String local(Spec spec, Path path) {
        return path.startsWith(spec.base()) ? "./" + spec.base().relativize(path) : path.toString();
    }

    private static String makeIn(Path path, boolean directory) {
        return directory
                ? "mkdir -p " + q(path.toString()) + " && "
                : "mkdir -p " + q(path.getParent().toString()) + " && touch " + q(path.toString()) + " && ";
    }

    private static List<Path> shallowest(Set<Path> roots) {
        List<Path> sorted = new ArrayList<>(roots);
        sorted.sort(Comparator.comparingInt(Path::getNameCount));
        List<Path> kept = new ArrayList<>();
        for (Path r : sorted) {
            if (kept.stream().noneMatch(r::startsWith)) {
                kept.add(r);
            }
        }
        return kept;
    }

    /** Single-quotes a word for sh. */
    static String q(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
