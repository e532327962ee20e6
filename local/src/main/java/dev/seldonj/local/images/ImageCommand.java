package dev.seldonj.local.images;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How one image runs on this machine.
 *
 * @param command the program and its fixed arguments (the image's entrypoint); the container's args follow
 * @param workingDir where the process starts, or null for the runner's working directory
 * @param env variables added before the container's own (which win)
 * @param entrypoint the image's real ENTRYPOINT (what a pod's {@code command} names inside the image), or an
 *     empty list when the map does not say; {@code command} is its local equivalent
 */
public record ImageCommand(List<String> command, Path workingDir, Map<String, String> env, List<String> entrypoint) {

    public ImageCommand {
        entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
    }

    /** An entry whose image ENTRYPOINT the map does not know. */
    public ImageCommand(List<String> command, Path workingDir, Map<String, String> env) {
        this(command, workingDir, env, List.of());
    }
}
