package dev.seldonj.node.container;

import dev.seldonj.node.errors.NodeException;

/**
 * A container that cannot be started as specified; {@code reason} is what its waiting state shows
 * ({@code CreateContainerConfigError}, {@code RunContainerError}, {@code ImageNotMapped}).
 */
public final class ContainerConfigException extends NodeException {

    public static final String CONFIG_ERROR = "CreateContainerConfigError";
    public static final String RUN_ERROR = "RunContainerError";
    public static final String IMAGE_NOT_MAPPED = "ImageNotMapped";

    private final String reason;

    public ContainerConfigException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
