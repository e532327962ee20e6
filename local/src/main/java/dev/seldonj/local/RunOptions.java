package dev.seldonj.local;

import dev.seldonj.local.gateway.Gateway;
import dev.seldonj.local.images.ImageCommands;
import dev.seldonj.local.ports.PortAllocator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.function.Consumer;

/**
 * How the runner runs a plan.
 *
 * @param images the image -> local command map
 * @param restPort the REST gateway's port (8003 as Seldon's clients expect; 0 picks a free one)
 * @param grpcPort a separate gRPC gateway port (0 picks a free one), or {@link Gateway#SAME_PORT} to serve
 *     gRPC on the REST port as Emissary does
 * @param random decides traffic splits (seeded for reproducible runs and tests)
 * @param readyTimeout how long every container together may take to get ready
 * @param output where process output and the runner's own lines go
 * @param ports hands out the local ports of pods
 * @param pvcDir the folder holding one folder per PersistentVolumeClaim a pod mounts
 */
public record RunOptions(
        ImageCommands images,
        int restPort,
        int grpcPort,
        Random random,
        Duration readyTimeout,
        Consumer<String> output,
        PortAllocator ports,
        Path pvcDir) {

    public RunOptions(
            ImageCommands images,
            int restPort,
            int grpcPort,
            Random random,
            Duration readyTimeout,
            Consumer<String> output,
            PortAllocator ports) {
        this(images, restPort, grpcPort, random, readyTimeout, output, ports, Path.of(DEFAULT_PVC_DIR));
    }

    public static final int DEFAULT_REST_PORT = 8003;
    public static final int DEFAULT_GRPC_PORT = Gateway.SAME_PORT;
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(120);
    public static final String DEFAULT_PVC_DIR = "pvc";
}
