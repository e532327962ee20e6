package dev.seldonj.node.volume;

import dev.seldonj.node.container.PodFacts;
import dev.seldonj.node.errors.NodeException;
import io.fabric8.kubernetes.api.model.HostPathVolumeSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pod's volumes on this machine, under {@code <state-dir>/pods/<uid>/volumes/<plugin>/<name>} as kubelet
 * lays them out: emptyDir (a directory), secret, configMap, downwardAPI and projected (files written
 * atomically, rewritten when their sources change or a token is due), hostPath (the host path itself).
 * Other volume types fail the pod's start with a message naming them.
 */
public final class PodVolumes {

    private final Path dir;
    private final VolumeFiles files;
    private final TokenSource tokenSource;
    private final Clock clock;
    /** Tokens already issued, per volume and source path: reused until due, so a refresh rewrites nothing. */
    private final Map<String, TokenSource.Token> tokens = new HashMap<>();

    public PodVolumes(Path dir, VolumeFiles files, TokenSource tokenSource, Clock clock) {
        this.dir = dir;
        this.files = files;
        this.tokenSource = tokenSource;
        this.clock = clock;
    }

    /**
     * Makes (or refreshes) every volume of the pod.
     *
     * @return each volume's host path, by name
     * @throws NodeException naming the volume that could not be made
     */
    public Map<String, Path> setUp(PodFacts facts) {
        Pod pod = facts.pod();
        Long fsGroup = pod.getSpec().getSecurityContext() == null
                ? null
                : pod.getSpec().getSecurityContext().getFsGroup();
        Map<String, Path> paths = new LinkedHashMap<>();
        for (Volume volume : pod.getSpec().getVolumes()) {
            try {
                paths.put(volume.getName(), setUp(volume, facts, fsGroup));
            } catch (IOException e) {
                throw new NodeException("volume " + volume.getName() + ": " + e.getMessage(), e);
            } catch (NodeException e) {
                throw new NodeException("volume " + volume.getName() + ": " + e.getMessage(), e);
            }
        }
        return paths;
    }

    private Path setUp(Volume v, PodFacts facts, Long fsGroup) throws IOException {
        String namespace = facts.pod().getMetadata().getNamespace();
        if (v.getEmptyDir() != null) {
            Path d = dir.resolve("kubernetes.io~empty-dir").resolve(v.getName());
            if (!Files.isDirectory(d)) {
                Files.createDirectories(d);
                // World-writable as kubelet makes it: the program may run as any user.
                Files.setPosixFilePermissions(d, AtomicWriter.perms(0777));
                if (fsGroup != null) {
                    Files.setAttribute(d, "unix:gid", fsGroup.intValue(), LinkOption.NOFOLLOW_LINKS);
                }
            }
            return d;
        }
        if (v.getSecret() != null) {
            Path d = dir.resolve("kubernetes.io~secret").resolve(v.getName());
            AtomicWriter.write(d, files.secret(v.getSecret(), namespace), fsGroup);
            return d;
        }
        if (v.getConfigMap() != null) {
            Path d = dir.resolve("kubernetes.io~configmap").resolve(v.getName());
            AtomicWriter.write(d, files.configMap(v.getConfigMap(), namespace), fsGroup);
            return d;
        }
        if (v.getDownwardAPI() != null) {
            Path d = dir.resolve("kubernetes.io~downward-api").resolve(v.getName());
            AtomicWriter.write(
                    d,
                    files.downwardApi(
                            v.getDownwardAPI().getItems(), v.getDownwardAPI().getDefaultMode(), facts),
                    fsGroup);
            return d;
        }
        if (v.getProjected() != null) {
            Path d = dir.resolve("kubernetes.io~projected").resolve(v.getName());
            AtomicWriter.write(d, files.projected(v.getProjected(), facts, t -> token(v.getName(), t, facts)), fsGroup);
            return d;
        }
        if (v.getHostPath() != null) {
            return hostPath(v.getHostPath());
        }
        throw new NodeException(
                "this volume type is not supported by the seldonj node agent (emptyDir, secret, configMap,"
                        + " downwardAPI, projected and hostPath are)");
    }

    private String token(String volume, ServiceAccountTokenProjection t, PodFacts facts) {
        String key = volume + "/" + t.getPath();
        TokenSource.Token token = tokens.get(key);
        if (token == null || token.due(clock.instant())) {
            var pod = facts.pod();
            String account = pod.getSpec().getServiceAccountName() == null
                    ? "default"
                    : pod.getSpec().getServiceAccountName();
            long expiration = t.getExpirationSeconds() == null ? 3600 : t.getExpirationSeconds();
            token = tokenSource.request(
                    pod.getMetadata().getNamespace(),
                    account,
                    t.getAudience() == null || t.getAudience().isEmpty() ? List.of() : List.of(t.getAudience()),
                    expiration,
                    pod.getMetadata().getName(),
                    pod.getMetadata().getUid());
            tokens.put(key, token);
        }
        return token.value();
    }

    static Path hostPath(HostPathVolumeSource h) throws IOException {
        Path p = Path.of(h.getPath());
        String type = h.getType() == null ? "" : h.getType();
        switch (type) {
            case "" -> {}
            case "DirectoryOrCreate" -> {
                if (!Files.exists(p)) {
                    Files.createDirectories(p);
                    Files.setPosixFilePermissions(p, AtomicWriter.perms(0755));
                }
            }
            case "FileOrCreate" -> {
                if (!Files.exists(p)) {
                    Files.createFile(p);
                    Files.setPosixFilePermissions(p, AtomicWriter.perms(0644));
                }
            }
            case "Directory" -> require(Files.isDirectory(p), p, "a directory");
            case "File" -> require(Files.isRegularFile(p), p, "a file");
            case "Socket", "CharDevice", "BlockDevice" -> require(Files.exists(p), p, "a " + type);
            default -> throw new NodeException("hostPath type " + type + " is unknown");
        }
        return p;
    }

    private static void require(boolean ok, Path p, String what) {
        if (!ok) {
            throw new NodeException("hostPath " + p + " is not " + what);
        }
    }

    /** Removes every volume's files (a hostPath is never touched: it is not under this directory). */
    public void tearDown() throws IOException {
        AtomicWriter.deleteTree(dir);
    }
}
