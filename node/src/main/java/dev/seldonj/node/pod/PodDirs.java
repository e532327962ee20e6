package dev.seldonj.node.pod;

import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;

/**
 * Where a pod's files live under the state directory:
 * <pre>
 * pods/&lt;uid&gt;/volumes/&lt;plugin&gt;/&lt;volume&gt;        volume contents
 * pods/&lt;uid&gt;/containers/&lt;name&gt;/pid              "pid starttime" of the running process
 * pods/&lt;uid&gt;/containers/&lt;name&gt;/scratch          overlay upper layers (a tmpfs inside the container's mount namespace)
 * pods/&lt;uid&gt;/etc-hosts, resolv.conf               bind-mounted on /etc/hosts and /etc/resolv.conf
 * pods/&lt;namespace&gt;_&lt;name&gt;_&lt;uid&gt;/&lt;container&gt;/&lt;restart&gt;.log   output (kept after the pod is gone)
 * </pre>
 */
public record PodDirs(Path root, Path logs) {

    public static PodDirs of(Path stateDir, Pod pod) {
        var meta = pod.getMetadata();
        Path pods = stateDir.resolve("pods");
        return new PodDirs(
                pods.resolve(meta.getUid()),
                pods.resolve(meta.getNamespace() + "_" + meta.getName() + "_" + meta.getUid()));
    }

    public Path volumes() {
        return root.resolve("volumes");
    }

    public Path container(String name) {
        return root.resolve("containers").resolve(name);
    }

    public Path pidFile(String container) {
        return container(container).resolve("pid");
    }

    public Path scratch(String container) {
        return container(container).resolve("scratch");
    }

    public Path hosts() {
        return root.resolve("etc-hosts");
    }

    public Path resolvConf() {
        return root.resolve("resolv.conf");
    }

    public Path log(String container, int restart) {
        return logs.resolve(container).resolve(restart + ".log");
    }
}
