package dev.seldonj.e2e.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * servers/storage-initializer/local-gcs.sh: fake-gcs-server with the seeds' bucket {@code seldon-models},
 * listening on {@code host}; {@code endpoint} is what {@code RCLONE_CONFIG_GS_ENDPOINT} must say.
 */
public record LocalGcs(BackgroundProcess process, String endpoint) implements AutoCloseable {

    public static LocalGcs start(String host) throws IOException, InterruptedException {
        BackgroundProcess process = BackgroundProcess.start(
                List.of(
                        TestCluster.REPOSITORY
                                .resolve("servers/storage-initializer/local-gcs.sh")
                                .toString(),
                        String.valueOf(freePort())),
                Map.of("GCS_HOST", host));
        String export =
                process.awaitLine(l -> l.startsWith("export RCLONE_CONFIG_GS_ENDPOINT="), Duration.ofMinutes(2));
        return new LocalGcs(process, export.substring(export.indexOf('=') + 1));
    }

    /** A port nobody listens on now, on any address. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
