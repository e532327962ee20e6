package dev.seldonj.node.container;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The identity a container's program runs as, from the pod's and the container's securityContext (the
 * container's wins), and whether its root file system is read-only. Capabilities, seccomp and the like
 * are not applied (see docs/node-agent.md).
 *
 * @param uid runAsUser, or null to stay root
 * @param gid runAsGroup, or null (with a uid: group 0, as a runtime does for a user without a passwd entry)
 * @param groups supplementalGroups and fsGroup
 */
public record Security(Long uid, Long gid, List<Long> groups, boolean readOnlyRoot) {

    public static Security of(PodSecurityContext pod, Container container) {
        SecurityContext c = container.getSecurityContext();
        Long uid = c != null && c.getRunAsUser() != null ? c.getRunAsUser() : pod == null ? null : pod.getRunAsUser();
        Long gid =
                c != null && c.getRunAsGroup() != null ? c.getRunAsGroup() : pod == null ? null : pod.getRunAsGroup();
        Boolean nonRoot = c != null && c.getRunAsNonRoot() != null
                ? c.getRunAsNonRoot()
                : pod == null ? null : pod.getRunAsNonRoot();
        if (Boolean.TRUE.equals(nonRoot) && (uid == null || uid == 0)) {
            throw new ContainerConfigException(
                    ContainerConfigException.CONFIG_ERROR,
                    uid == null
                            ? "container has runAsNonRoot and image will run as root (the images map runs it as root: set runAsUser)"
                            : "container's runAsUser breaks non-root policy");
        }
        List<Long> groups = new ArrayList<>();
        if (pod != null) {
            if (pod.getSupplementalGroups() != null) {
                groups.addAll(pod.getSupplementalGroups());
            }
            if (pod.getFsGroup() != null && !groups.contains(pod.getFsGroup())) {
                groups.add(pod.getFsGroup());
            }
        }
        boolean readOnly = c != null && Boolean.TRUE.equals(c.getReadOnlyRootFilesystem());
        return new Security(uid, gid, List.copyOf(groups), readOnly);
    }

    /** Whether the program switches identity at all. */
    public boolean switchesUser() {
        return uid != null || gid != null || !groups.isEmpty();
    }

    /** The {@code setpriv} words that switch to this identity, to put before the program line. */
    public List<String> setpriv(String setprivBinary) {
        if (!switchesUser()) {
            return List.of();
        }
        List<String> words = new ArrayList<>(List.of(setprivBinary));
        if (uid != null) {
            words.add("--reuid=" + uid);
        }
        long group = gid != null ? gid : 0;
        words.add("--regid=" + group);
        if (groups.isEmpty()) {
            words.add("--clear-groups");
        } else {
            words.add("--groups="
                    + String.join(",", groups.stream().map(String::valueOf).toList()));
        }
        words.add("--");
        return words;
    }

    /** The same identity without its user switch (when the program's files are not readable by that user). */
    public Security asRoot() {
        return new Security(null, null, List.of(), readOnlyRoot);
    }
}
