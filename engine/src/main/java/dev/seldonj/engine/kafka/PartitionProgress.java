package dev.seldonj.engine.kafka;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * The records of one partition in flight, in the order they were taken, and how far the partition may be
 * committed: up to the first record whose answer is not yet acknowledged. Answers are acknowledged out of order
 * (records run concurrently); offsets are committed in order, so a crash re-delivers every record whose answer
 * may be missing (at least once), never skips one. Used by the consumer's thread only.
 */
final class PartitionProgress {

    private final ArrayDeque<Long> started = new ArrayDeque<>();
    private final Set<Long> done = new HashSet<>();
    /** The next offset to commit (one past the last record whose answer, and all before it, are acknowledged). */
    private long committable = -1;

    private long committed = -1;

    void started(long offset) {
        started.addLast(offset);
    }

    /** The record's answer is acknowledged by the broker. */
    void done(long offset) {
        if (started.isEmpty() || offset < started.peekFirst()) {
            return; // not tracked (e.g. a record of before a rewind): nothing to advance
        }
        done.add(offset);
        while (!started.isEmpty() && done.remove(started.peekFirst())) {
            committable = started.pollFirst() + 1;
        }
    }

    /** The offset to commit now, or -1 when nothing new has been answered since the last commit. */
    long toCommit() {
        return committable > committed ? committable : -1;
    }

    void committed(long offset) {
        committed = Math.max(committed, offset);
    }

    /** The first offset not answered yet (where to resume after a failure), or -1 when none is in flight. */
    long firstUnanswered() {
        return started.isEmpty() ? -1 : started.peekFirst();
    }

    int inFlight() {
        return started.size();
    }
}
