package dev.seldonj.engine.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The body and message limits follow the memory budget, and are never larger than it. */
class ServerLimitsTest {

    private static final int MIB = 1 << 20;

    @Test
    void limitsDefaultToAQuarterOfTheBudgetAndNeverExceedIt() {
        EngineSettings s = new EngineSettings();
        s.setMemoryBudgetBytes(64L * MIB);
        EngineConfig c = s.toConfig();
        assertThat(c.limits().memoryBudgetBytes()).isEqualTo(64L * MIB);
        assertThat(c.maxBodyBytes()).isEqualTo(16 * MIB);
        assertThat(c.grpcMaxMessageBytes()).isEqualTo(16 * MIB);
        assertThat(c.limits().headerReadTimeoutMs()).isEqualTo(10_000);
        assertThat(c.limits().idleTimeoutMs()).isEqualTo(300_000);

        s.setMemoryBudgetBytes(1024L * MIB);
        assertThat(s.toConfig().maxBodyBytes()).isEqualTo(64 * MIB); // Seldon's 64 MiB when the budget allows it

        s.setMemoryBudgetBytes(64L * MIB);
        s.setMaxBodyBytes(Integer.MAX_VALUE);
        s.setGrpcMaxMessageBytes(Integer.MAX_VALUE);
        assertThat(s.toConfig().maxBodyBytes()).isEqualTo(64 * MIB);
        assertThat(s.toConfig().grpcMaxMessageBytes()).isEqualTo(64 * MIB);
        s.setMaxBodyBytes(1000);
        assertThat(s.toConfig().maxBodyBytes()).isEqualTo(1000);
    }

    @Test
    void annotationsAreCappedByTheBudgetToo() {
        EngineSettings s = new EngineSettings();
        s.setMemoryBudgetBytes(64L * MIB);
        EngineConfig c = s.toConfig()
                .withAnnotations(new PodAnnotations(Map.of(
                        PodAnnotations.GRPC_MAX_MESSAGE_SIZE, "2147483647", PodAnnotations.REST_MAX_BODY, "1048576")));
        assertThat(c.grpcMaxMessageBytes()).isEqualTo(64 * MIB);
        assertThat(c.maxBodyBytes()).isEqualTo(MIB);
    }

    @Test
    void flagsMapOntoTheSettings() {
        EngineCommand cmd = new EngineCommand();
        new picocli.CommandLine(cmd)
                .parseArgs(
                        "--memory_budget_bytes",
                        "1000000",
                        "--header_read_timeout_ms",
                        "500",
                        "--idle_timeout_ms",
                        "700");
        assertThat(cmd.properties())
                .containsEntry("engine.memory-budget-bytes", 1000000L)
                .containsEntry("engine.header-read-timeout-ms", 500L)
                .containsEntry("engine.idle-timeout-ms", 700L);
    }
}
