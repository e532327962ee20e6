package dev.seldonj.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusPatchTest {

    @Test
    void conditionsWithoutReasonOrMessageClearTheOldOnes() {
        Map<String, Object> patch = StatusPatch.of(Map.of(
                "phase",
                "Running",
                "conditions",
                List.of(
                        Map.of("type", "Ready", "status", "True"),
                        Map.of(
                                "type",
                                "Initialized",
                                "status",
                                "False",
                                "reason",
                                "ContainersNotInitialized",
                                "message",
                                "m"))));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> conditions = (List<Map<String, Object>>) patch.get("conditions");
        assertThat(conditions.get(0)).containsEntry("reason", null).containsEntry("message", null);
        assertThat(conditions.get(1))
                .containsEntry("reason", "ContainersNotInitialized")
                .containsEntry("message", "m");
        assertThat(patch).containsEntry("phase", "Running");
    }
}
