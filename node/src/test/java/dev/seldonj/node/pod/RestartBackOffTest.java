package dev.seldonj.node.pod;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RestartBackOffTest {

    private final Instant t0 = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void theFirstRestartIsImmediateThenTheWaitDoublesUpToTheCap() {
        RestartBackOff b = new RestartBackOff();
        assertThat(b.remaining(t0, t0)).isZero();
        b.restarted(t0);
        assertThat(b.remaining(t0.plusSeconds(3), t0.plusSeconds(3))).isEqualTo(Duration.ofSeconds(10));
        assertThat(b.remaining(t0.plusSeconds(9), t0.plusSeconds(3))).isEqualTo(Duration.ofSeconds(4));
        assertThat(b.remaining(t0.plusSeconds(13), t0.plusSeconds(3))).isZero();
        Instant t = t0.plusSeconds(13);
        int[] expected = {20, 40, 60, 60};
        for (int seconds : expected) {
            b.restarted(t);
            assertThat(b.remaining(t, t)).isEqualTo(Duration.ofSeconds(seconds));
            t = t.plusSeconds(seconds);
        }
    }

    @Test
    void itStartsOverAfterTwiceTheCapWithoutRestarts() {
        RestartBackOff b = new RestartBackOff();
        b.restarted(t0);
        b.restarted(t0.plusSeconds(15));
        assertThat(b.current()).isEqualTo(Duration.ofSeconds(20));
        Instant later = t0.plusSeconds(15 + 121);
        assertThat(b.remaining(later, later)).isZero();
        b.restarted(later);
        assertThat(b.current()).isEqualTo(Duration.ofSeconds(10));
    }
}
