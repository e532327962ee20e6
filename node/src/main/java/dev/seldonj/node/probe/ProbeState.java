package dev.seldonj.node.probe;

/**
 * The thresholds of one probe: a result holds once {@code successThreshold} attempts in a row succeeded,
 * or {@code failureThreshold} in a row failed; until then the previous result stands. A liveness probe
 * starts as success, a readiness probe as failure, a startup probe as unknown (kubelet's initial values).
 */
public final class ProbeState {

    public enum Result {
        UNKNOWN,
        SUCCESS,
        FAILURE
    }

    private final int successThreshold;
    private final int failureThreshold;
    private Result result;
    private int successes;
    private int failures;

    public ProbeState(Result initial, Integer successThreshold, Integer failureThreshold) {
        this.result = initial;
        this.successThreshold = successThreshold == null || successThreshold < 1 ? 1 : successThreshold;
        this.failureThreshold = failureThreshold == null || failureThreshold < 1 ? 3 : failureThreshold;
    }

    /** Records one attempt; true when the result changed. */
    public synchronized boolean record(boolean ok) {
        Result before = result;
        if (ok) {
            successes++;
            failures = 0;
            if (successes >= successThreshold) {
                result = Result.SUCCESS;
            }
        } else {
            failures++;
            successes = 0;
            if (failures >= failureThreshold) {
                result = Result.FAILURE;
            }
        }
        return result != before;
    }

    public synchronized Result result() {
        return result;
    }

    public synchronized int consecutiveFailures() {
        return failures;
    }
}
