package dev.seldonj.node.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seldonj.node.probe.ProbeState.Result;
import org.junit.jupiter.api.Test;

class ProbeStateTest {

    @Test
    void aReadinessProbeStartsFailingAndNeedsSuccessThresholdSuccessesInARow() {
        ProbeState s = new ProbeState(Result.FAILURE, 2, 3);
        assertThat(s.record(true)).isFalse();
        assertThat(s.record(false)).isFalse();
        assertThat(s.record(true)).isFalse();
        assertThat(s.record(true)).isTrue();
        assertThat(s.result()).isEqualTo(Result.SUCCESS);
    }

    @Test
    void aLivenessProbeStartsSucceedingAndFailsAfterFailureThresholdFailuresInARow() {
        ProbeState s = new ProbeState(Result.SUCCESS, null, null);
        assertThat(s.record(false)).isFalse();
        assertThat(s.record(false)).isFalse();
        assertThat(s.record(true)).isFalse();
        assertThat(s.consecutiveFailures()).isZero();
        s.record(false);
        s.record(false);
        assertThat(s.record(false)).isTrue();
        assertThat(s.result()).isEqualTo(Result.FAILURE);
    }

    @Test
    void aStartupProbeIsUnknownUntilDecided() {
        ProbeState s = new ProbeState(Result.UNKNOWN, 1, 2);
        assertThat(s.record(false)).isFalse();
        assertThat(s.result()).isEqualTo(Result.UNKNOWN);
        assertThat(s.record(true)).isTrue();
        assertThat(s.result()).isEqualTo(Result.SUCCESS);
    }

    @Test
    void grpcHealthMessagesAreEncodedAndDecodedByHand() {
        assertThat(GrpcHealth.request("")).isEmpty();
        assertThat(GrpcHealth.request("svc")).containsExactly(0x0A, 3, 's', 'v', 'c');
        assertThat(GrpcHealth.status(new byte[] {0x08, 0x01})).isEqualTo(1);
        assertThat(GrpcHealth.status(new byte[] {0x08, 0x02})).isEqualTo(2);
        assertThat(GrpcHealth.status(new byte[0])).isZero();
        // An unknown length-delimited field before the status is skipped.
        assertThat(GrpcHealth.status(new byte[] {0x12, 0x02, 'h', 'i', 0x08, 0x01}))
                .isEqualTo(1);
    }
}
