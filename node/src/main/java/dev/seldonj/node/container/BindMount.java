package dev.seldonj.node.container;

import java.nio.file.Path;

/**
 * One volumeMount as the container sees it.
 *
 * @param target the mountPath inside the container
 * @param source the host file or directory that appears there
 */
public record BindMount(String target, Path source, boolean readOnly) {}
