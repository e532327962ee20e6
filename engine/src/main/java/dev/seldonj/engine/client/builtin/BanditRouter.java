package dev.seldonj.engine.client.builtin;

import dev.seldonj.engine.message.FeedbackMessage;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.RequestContext;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * A multi-armed bandit router learning from feedback: each feedback's {@code reward} (0..1) is
 * credited to the branch this node took for that prediction ({@code response.meta.routing}).
 * Feedback without a branch for this node teaches nothing. State is per engine replica.
 */
abstract class BanditRouter extends BuiltInClient {

    protected final int branches;
    protected final double[] rewards;
    protected final long[] tries;
    protected final RandomGenerator random;

    BanditRouter(String node, int branches, Long seed) {
        super(node);
        this.branches = branches;
        this.rewards = new double[branches];
        this.tries = new long[branches];
        this.random = seed == null ? new SplittableRandom() : new SplittableRandom(seed);
    }

    /** The branch to take now; called under this router's lock. */
    protected abstract int choose();

    @Override
    public CompletableFuture<Integer> route(Message input, RequestContext ctx) {
        int branch;
        synchronized (this) {
            branch = choose();
        }
        return CompletableFuture.completedFuture(branch);
    }

    @Override
    public CompletableFuture<Message> sendFeedback(FeedbackMessage feedback, RequestContext ctx) {
        int branch = feedback.routing(node);
        if (branch >= 0 && branch < branches) {
            double reward = Math.max(0, Math.min(1, feedback.reward()));
            synchronized (this) {
                rewards[branch] += reward;
                tries[branch]++;
                learned();
            }
        }
        return CompletableFuture.completedFuture(Message.trusted(EMPTY));
    }

    /** Called under this router's lock after a reward was credited. */
    protected void learned() {}

    /** Mean reward of each branch so far (0 for untried branches). */
    public synchronized double[] means() {
        double[] m = new double[branches];
        for (int i = 0; i < branches; i++) {
            m[i] = tries[i] == 0 ? 0 : rewards[i] / tries[i];
        }
        return m;
    }
}
