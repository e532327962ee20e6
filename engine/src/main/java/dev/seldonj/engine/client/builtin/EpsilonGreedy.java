package dev.seldonj.engine.client.builtin;

import dev.seldonj.api.model.Parameter;
import java.util.List;

/**
 * EPSILON_GREEDY: explores a uniformly random branch with probability {@code epsilon} (default 0.1),
 * otherwise exploits the branch with the best mean reward (ties: the lowest index, starting from
 * {@code best_branch}, default 0). Parameters: {@code n_branches}, {@code epsilon}, {@code seed},
 * {@code best_branch}.
 */
public final class EpsilonGreedy extends BanditRouter {

    private final double epsilon;
    private int best;

    public EpsilonGreedy(String node, List<Parameter> parameters, int children) {
        this(node, new NodeParameters(node, parameters), children);
    }

    private EpsilonGreedy(String node, NodeParameters p, int children) {
        super(node, p.branches(children), p.optionalLong("seed"));
        this.epsilon = p.number("epsilon", 0.1);
        p.requireRange("epsilon", epsilon, 0, 1);
        this.best = (int) p.number("best_branch", 0);
        p.requireRange("best_branch", best, 0, branches - 1);
    }

    @Override
    protected int choose() {
        if (random.nextDouble() < epsilon) {
            return random.nextInt(branches);
        }
        return best;
    }

    @Override
    protected void learned() {
        double[] m = means();
        int b = best;
        for (int i = 0; i < branches; i++) {
            if (m[i] > m[b]) {
                b = i;
            }
        }
        best = b;
    }
}
