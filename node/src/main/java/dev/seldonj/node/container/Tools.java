package dev.seldonj.node.container;

import dev.seldonj.node.errors.NodeException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The host programs a container is started with, found once at start-up by absolute path: the
 * container's own PATH (its env) must not decide which {@code ip} or {@code unshare} runs.
 */
public record Tools(String setsid, String ip, String unshare, String setpriv, String nsenter, String sh) {

    public static Tools find() {
        List<String> missing = new ArrayList<>();
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        Tools tools = new Tools(
                which("setsid", path, missing),
                which("ip", path, missing),
                which("unshare", path, missing),
                which("setpriv", path, missing),
                which("nsenter", path, missing),
                which("sh", path, missing));
        if (!missing.isEmpty()) {
            throw new NodeException("missing host programs " + missing + " (util-linux and iproute2 provide them)");
        }
        return tools;
    }

    private static String which(String name, String path, List<String> missing) {
        List<String> dirs = new ArrayList<>(List.of(path.split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin"));
        for (String dir : dirs) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toAbsolutePath().toString();
            }
        }
        missing.add(name);
        return name;
    }
}
