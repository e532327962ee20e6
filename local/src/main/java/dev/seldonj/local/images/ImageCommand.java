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
 */
public record ImageCommand(List<String> command, Path workingDir, Map<String, String> env) {}
