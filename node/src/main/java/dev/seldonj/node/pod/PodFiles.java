package dev.seldonj.node.pod;

import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The small files kubelet makes for a pod (hosts, resolv.conf), the environment it adds, and log tails. */
final class PodFiles {

    /** kubelet's limit for a termination message taken from the log. */
    private static final int TAIL_BYTES = 2048;

    private static final int TAIL_LINES = 80;

    private PodFiles() {}

    static String hostname(Pod pod) {
        String h = pod.getSpec().getHostname();
        return h == null || h.isEmpty() ? pod.getMetadata().getName() : h;
    }

    static String hosts(Pod pod, String podIp) {
        StringBuilder s = new StringBuilder("# Kubernetes-managed hosts file (seldonj node agent).\n")
                .append("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")
                .append(
                        "fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n");
        String hostname = hostname(pod);
        String subdomain = pod.getSpec().getSubdomain();
        if (subdomain != null && !subdomain.isEmpty()) {
            s.append(podIp)
                    .append('\t')
                    .append(hostname)
                    .append('.')
                    .append(subdomain)
                    .append('.')
                    .append(pod.getMetadata().getNamespace())
                    .append(".svc.cluster.local\t")
                    .append(hostname)
                    .append('\n');
        } else {
            s.append(podIp).append('\t').append(hostname).append('\n');
        }
        List<HostAlias> aliases = pod.getSpec().getHostAliases();
        if (!aliases.isEmpty()) {
            s.append("\n# Entries added by HostAliases.\n");
            for (HostAlias a : aliases) {
                s.append(a.getIp())
                        .append('\t')
                        .append(String.join("\t", a.getHostnames()))
                        .append('\n');
            }
        }
        return s.toString();
    }

    /**
     * There is no cluster DNS here: the pod's resolver asks its own loopback, where nothing listens, so a
     * lookup fails at once instead of timing out against a server the pod cannot reach.
     */
    static String resolvConf(Pod pod) {
        String ns = pod.getMetadata().getNamespace();
        return "# seldonj node agent: no cluster DNS on this node (see docs/node-agent.md).\n"
                + "search " + ns + ".svc.cluster.local svc.cluster.local cluster.local\n"
                + "nameserver 127.0.0.1\noptions ndots:5 timeout:1 attempts:1\n";
    }

    /**
     * What kubelet adds to every container for the {@code kubernetes} Service. Its ClusterIP exists on no
     * machine here, so these name the API server's real address (the bridge) and port.
     */
    static Map<String, String> kubernetesService(String host, int port) {
        Map<String, String> env = new LinkedHashMap<>();
        String url = "tcp://" + host + ":" + port;
        env.put("KUBERNETES_SERVICE_HOST", host);
        env.put("KUBERNETES_SERVICE_PORT", Integer.toString(port));
        env.put("KUBERNETES_SERVICE_PORT_HTTPS", Integer.toString(port));
        env.put("KUBERNETES_PORT", url);
        env.put("KUBERNETES_PORT_" + port + "_TCP", url);
        env.put("KUBERNETES_PORT_" + port + "_TCP_PROTO", "tcp");
        env.put("KUBERNETES_PORT_" + port + "_TCP_PORT", Integer.toString(port));
        env.put("KUBERNETES_PORT_" + port + "_TCP_ADDR", host);
        return env;
    }

    static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** The end of a log: at most the last 80 lines and 2048 bytes, as kubelet's FallbackToLogsOnError. */
    static String tail(Path log) {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            int n = (int) Math.min(length, TAIL_BYTES);
            byte[] bytes = new byte[n];
            file.seek(length - n);
            file.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            String[] lines = text.split("\n", -1);
            if (lines.length > TAIL_LINES + 1) {
                text = String.join("\n", Arrays.copyOfRange(lines, lines.length - TAIL_LINES - 1, lines.length));
            }
            return text.strip();
        } catch (IOException e) {
            return "";
        }
    }
}
