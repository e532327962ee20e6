package dev.seldonj.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seldonj.local.errors.RunnerException;
import dev.seldonj.local.gateway.Gateway;
import dev.seldonj.local.images.ImageCommands;
import dev.seldonj.local.plan.RunPlan;
import dev.seldonj.local.ports.PortAllocator;
import dev.seldonj.local.process.ProcessSupervisor;
import dev.seldonj.local.testing.RenderedObjects;
import dev.seldonj.local.testing.TestImages;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner used from anywhere: a taken gateway port is named before any process starts. */
class RunnerAsAToolTest {

    @TempDir
    Path dir;

    @Test
    void aTakenGatewayPortStopsTheRunBeforeAnyProcessStarts() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            RunPlan plan = RunPlan.of(RenderedObjects.of(RenderedObjects.seed004()));
            List<String> output = new ArrayList<>();
            RunOptions options = new RunOptions(
                    ImageCommands.load(dir, TestImages.JAVA, TestImages.write(dir, Map.of())),
                    port,
                    Gateway.SAME_PORT,
                    new Random(1),
                    Duration.ofSeconds(30),
                    output::add,
                    PortAllocator.ephemeral());
            ProcessSupervisor supervisor = new ProcessSupervisor(output::add);
            assertThatThrownBy(() -> LocalRunner.start(plan, options, supervisor))
                    .isInstanceOf(RunnerException.class)
                    .hasMessageContaining("the gateway port " + port + " is in use")
                    .hasMessageContaining("--gateway-port");
            assertThat(supervisor.processes()).isEmpty();
        }
    }
}
