package dev.seldonj.local.volumes;

import dev.seldonj.local.errors.RunnerException;
import dev.seldonj.local.plan.PodPlan;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A pod's volumes as folders of this machine: an {@code emptyDir} is a fresh folder per pod (shared by
 * its init containers and containers, as in a pod, removed when the run stops), a
 * {@code persistentVolumeClaim} is {@code <pvc dir>/<claim name>}, a {@code hostPath} is itself. A
 * process cannot mount them where the container expects them, so every argument and environment value
 * that names a mount path ({@code /mnt/models}, {@code /mnt/models/x}, inside JSON as in
 * {@code PREDICTIVE_UNIT_PARAMETERS}) is rewritten to the folder.
 */
public final class LocalVolumes implements AutoCloseable {

    private final Path runDir;
    private final Path pvcDir;
    private final Consumer<String> warnings;
    private final Map<String, Path> podFolders = new LinkedHashMap<>();

    private LocalVolumes(Path runDir, Path pvcDir, Consumer<String> warnings) {
        this.runDir = runDir;
        this.pvcDir = pvcDir;
        this.warnings = warnings;
    }

    /** Volumes under a new temporary folder; PVC claims are folders of {@code pvcDir}. */
    public static LocalVolumes create(Path pvcDir, Consumer<String> warnings) {
        try {
            return new LocalVolumes(Files.createTempDirectory("seldonj-local-volumes-"), pvcDir, warnings);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder for the pods' volumes", e);
        }
    }

    /** Mount path -> local folder for one container (checked, and emptyDirs created, when first asked). */
    public PathRewriter forContainer(PodPlan pod, Container container) {
        Map<String, Path> mounts = new LinkedHashMap<>();
        for (VolumeMount mount : container.getVolumeMounts()) {
            Optional<Path> folder = folder(pod, container, mount.getName());
            folder.ifPresent(f -> mounts.put(
                    mount.getMountPath(),
                    mount.getSubPath() == null || mount.getSubPath().isEmpty() ? f : f.resolve(mount.getSubPath())));
        }
        return new PathRewriter(mounts);
    }

    private Optional<Path> folder(PodPlan pod, Container container, String volumeName) {
        Volume volume = pod.volumes().stream()
                .filter(v -> volumeName.equals(v.getName()))
                .findFirst()
                .orElseThrow(() -> new RunnerException(pod.name() + "/" + container.getName() + " mounts volume "
                        + volumeName + ", which the pod does not declare"));
        if (volume.getEmptyDir() != null) {
            return Optional.of(podFolders.computeIfAbsent(
                    pod.qualifiedName() + "/" + volumeName,
                    k -> mkdirs(
                            runDir.resolve(pod.namespace()).resolve(pod.name()).resolve(volumeName))));
        }
        if (volume.getPersistentVolumeClaim() != null) {
            String claim = volume.getPersistentVolumeClaim().getClaimName();
            Path folder = pvcDir.resolve(claim).toAbsolutePath().normalize();
            if (!Files.isDirectory(folder)) {
                throw new RunnerException(pod.name() + "/" + container.getName() + " mounts the PersistentVolumeClaim "
                        + claim + ": create the folder " + folder
                        + " with its content (or pass --pvc-dir DIR holding a folder per claim)");
            }
            return Optional.of(folder);
        }
        if (volume.getHostPath() != null) {
            return Optional.of(Path.of(volume.getHostPath().getPath()));
        }
        warnings.accept(
                pod.name() + "/" + container.getName() + ": volume " + volumeName
                        + " (Secret, ConfigMap or projected content) is not provided by the local runner; its mount path is left as is");
        return Optional.empty();
    }

    private static Path mkdirs(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the volume folder " + dir, e);
        }
    }

    /** Removes the emptyDir folders (PVC and hostPath folders are the user's and stay). */
    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(runDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            warnings.accept("cannot remove " + runDir + ": " + e.getMessage());
        }
    }

    /** Rewrites values that name a mount path. */
    public record PathRewriter(Map<String, Path> mounts) {

        /** Longest mount path first, so that /mnt/models/x is not taken for /mnt/models. */
        public PathRewriter {
            Map<String, Path> ordered = new LinkedHashMap<>();
            for (String path : mounts.keySet().stream()
                    .sorted(Comparator.comparingInt(String::length).reversed())
                    .toList()) {
                ordered.put(path, mounts.get(path));
            }
            mounts = ordered;
        }

        public String rewrite(String value) {
            String out = value;
            if (out != null) {
                for (Map.Entry<String, Path> mount : mounts.entrySet()) {
                    out = replacePath(
                            out, stripSlash(mount.getKey()), mount.getValue().toString());
                }
            }
            return out;
        }

        public List<String> rewrite(List<String> values) {
            return values.stream().map(this::rewrite).toList();
        }

        /** Occurrences of {@code path} that are whole path prefixes: followed by the end, '/', or a non-path character. */
        static String replacePath(String value, String path, String replacement) {
            StringBuilder out = new StringBuilder();
            int from = 0;
            int at;
            while ((at = value.indexOf(path, from)) >= 0) {
                int end = at + path.length();
                boolean startsPath = at == 0 || !isPathChar(value.charAt(at - 1)) || value.charAt(at - 1) == ':';
                boolean endsPath = end == value.length() || value.charAt(end) == '/' || !isPathChar(value.charAt(end));
                out.append(value, from, at).append(startsPath && endsPath ? replacement : path);
                from = end;
            }
            return out.append(value.substring(from)).toString();
        }

        private static boolean isPathChar(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == '/' || c == ':';
        }

        private static String stripSlash(String path) {
            return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        }
    }
}
