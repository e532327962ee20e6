package dev.seldonj.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seldonj.api.model.SeldonDeployment;
import dev.seldonj.api.validation.Problem;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Subset (is an apply needed) and the status rules that need no cluster. */
class StatusAndApplyHelpersTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void subsetIgnoresFieldsOthersAddButSeesChangedOnes() throws Exception {
        JsonNode desired = json("{\"spec\":{\"replicas\":1,\"ports\":[{\"port\":8000}],\"labels\":{\"a\":\"b\"}}}");
        JsonNode live = json(
                "{\"spec\":{\"replicas\":1,\"clusterIP\":\"10.0.0.1\",\"ports\":[{\"port\":8000,\"protocol\":\"TCP\"}],"
                        + "\"labels\":{\"a\":\"b\",\"c\":\"d\"}},\"status\":{}}");
        assertThat(Subset.contains(live, desired)).isTrue();
        assertThat(Subset.contains(
                        json("{\"spec\":{\"replicas\":7,\"ports\":[{\"port\":8000}],\"labels\":{\"a\":\"b\"}}}"),
                        desired))
                .isFalse();
        assertThat(Subset.contains(
                        json(
                                "{\"spec\":{\"replicas\":1,\"ports\":[{\"port\":8000},{\"port\":1}],\"labels\":{\"a\":\"b\"}}}"),
                        desired))
                .isFalse();
        assertThat(Subset.contains(json("{\"port\":\"8000\"}"), json("{\"port\":8000}")))
                .isTrue();
    }

    @Test
    void zeroValuesTheApiServerDropsCountAsPresent() throws Exception {
        JsonNode desired =
                json("{\"probe\":{\"initialDelaySeconds\":0,\"periodSeconds\":5},\"stdin\":false,\"subPath\":\"\"}");
        assertThat(Subset.contains(json("{\"probe\":{\"periodSeconds\":5}}"), desired))
                .isTrue();
        assertThat(Subset.contains(json("{\"probe\":{\"periodSeconds\":5,\"initialDelaySeconds\":20}}"), desired))
                .isFalse();
        assertThat(Subset.contains(json("{\"probe\":{}}"), json("{\"probe\":{\"periodSeconds\":5}}")))
                .isFalse();
    }

    @Test
    void quantitiesCompareByValueAsTheApiServerRewritesThem() throws Exception {
        // The API server stores these desired values in their canonical form.
        assertThat(Subset.contains(json("{\"cpu\":\"500m\"}"), json("{\"cpu\":\"0.5\"}")))
                .isTrue();
        assertThat(Subset.contains(json("{\"memory\":\"1Gi\"}"), json("{\"memory\":\"1024Mi\"}")))
                .isTrue();
        assertThat(Subset.contains(json("{\"cpu\":\"1\"}"), json("{\"cpu\":\"1000m\"}")))
                .isTrue();
        assertThat(Subset.contains(json("{\"cpu\":\"2\"}"), json("{\"cpu\":\"1000m\"}")))
                .isFalse();
        assertThat(Subset.contains(json("{\"memory\":\"1G\"}"), json("{\"memory\":\"1Gi\"}")))
                .isFalse();
        assertThat(Subset.contains(json("{\"team\":\"Blue\"}"), json("{\"team\":\"blue\"}")))
                .isFalse();
        assertThat(Subset.contains(json("{\"image\":\"m:1\"}"), json("{\"image\":\"m:1.0\"}")))
                .isFalse();
    }

    @Test
    void invalidStatusListsEveryProblemAndKeepsTransitionTimesWhileUnchanged() {
        Clock t0 = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        Clock t1 = Clock.fixed(Instant.parse("2026-01-01T01:00:00Z"), ZoneOffset.UTC);
        SeldonDeployment sdep = new SeldonDeployment();
        sdep.setMetadata(
                new ObjectMetaBuilder().withName("x").withGeneration(3L).build());
        List<Problem> problems = List.of(
                Problem.error("spec.predictors[0].graph", "no container"),
                Problem.error("spec.predictors[1].traffic", "must be 100"));
        var first = new StatusBuilder(t0, 8000).invalid(sdep, problems);
        assertThat(first.getState()).isEqualTo("Failed");
        assertThat(first.getDescription())
                .contains("spec.predictors[0].graph: no container")
                .contains("spec.predictors[1].traffic: must be 100");
        assertThat(first.getObservedGeneration()).isEqualTo(3L);
        sdep.setStatus(first);
        var again = new StatusBuilder(t1, 8000).invalid(sdep, problems);
        assertThat(StatusBuilder.changed(first, again)).isFalse();
        assertThat(again.getConditions().get(0).getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
    }
}
