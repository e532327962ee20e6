package dev.seldonj.engine.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Offsets are committed in order, only up to the first record not answered. */
class PartitionProgressTest {

    @Test
    void commitsTheAnsweredPrefixOnly() {
        PartitionProgress p = new PartitionProgress();
        for (long o = 10; o < 15; o++) {
            p.started(o);
        }
        assertThat(p.toCommit()).isEqualTo(-1);
        p.done(11);
        p.done(13);
        assertThat(p.toCommit()).as("10 is not answered").isEqualTo(-1);
        assertThat(p.firstUnanswered()).isEqualTo(10);
        p.done(10);
        assertThat(p.toCommit()).as("10 and 11 answered, 12 not").isEqualTo(12);
        p.committed(12);
        assertThat(p.toCommit()).isEqualTo(-1);
        p.done(12);
        assertThat(p.toCommit()).isEqualTo(14);
        assertThat(p.inFlight()).isEqualTo(1);
        p.done(14);
        assertThat(p.toCommit()).isEqualTo(15);
        assertThat(p.firstUnanswered()).isEqualTo(-1);
        assertThat(p.inFlight()).isZero();
    }

    @Test
    void answersOfRecordsNotTrackedChangeNothing() {
        PartitionProgress p = new PartitionProgress();
        p.done(3);
        assertThat(p.toCommit()).isEqualTo(-1);
        p.started(5);
        p.done(4);
        assertThat(p.toCommit()).isEqualTo(-1);
        p.done(5);
        assertThat(p.toCommit()).isEqualTo(6);
    }
}
