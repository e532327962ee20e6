package dev.seldonj.node.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpansionTest {

    private final Map<String, String> vars = Map.of("A", "1", "B", "two");

    @Test
    void expandsDefinedVariablesAndLeavesOthersAsWritten() {
        assertThat(Expansion.expand("x-$(A)-$(B)", vars)).isEqualTo("x-1-two");
        assertThat(Expansion.expand("$(C)", vars)).isEqualTo("$(C)");
        assertThat(Expansion.expand("plain", vars)).isEqualTo("plain");
    }

    @Test
    void escapesAndIncompleteReferencesFollowKubernetes() {
        assertThat(Expansion.expand("$$(A)", vars)).isEqualTo("$(A)");
        assertThat(Expansion.expand("$$$(A)", vars)).isEqualTo("$1");
        assertThat(Expansion.expand("$(A", vars)).isEqualTo("$(A");
        assertThat(Expansion.expand("cost $5", vars)).isEqualTo("cost $5");
        assertThat(Expansion.expand("end$", vars)).isEqualTo("end$");
    }
}
