package dev.seldonj.engine.client.builtin;

import dev.seldonj.api.model.Parameter;
import java.util.List;

/**
 * THOMPSON_SAMPLING: draws from each branch's Beta(1 + rewards, 1 + misses) posterior and takes the
 * best draw. Parameters: {@code n_branches}, {@code seed}.
 */
public final class ThompsonSampling extends BanditRouter {

    public ThompsonSampling(String node, List<Parameter> parameters, int children) {
        this(node, new NodeParameters(node, parameters), children);
    }

    private ThompsonSampling(String node, NodeParameters p, int children) {
        super(node, p.branches(children), p.optionalLong("seed"));
    }

    @Override
    protected int choose() {
        int best = 0;
        double bestDraw = -1;
        for (int i = 0; i < branches; i++) {
            double a = 1 + rewards[i];
            double b = 1 + (tries[i] - rewards[i]);
            double x = gamma(a);
            double draw = x / (x + gamma(b));
            if (draw > bestDraw) {
                bestDraw = draw;
                best = i;
            }
        }
        return best;
    }

    /** Marsaglia and Tsang's method; shape >= 1 always holds here. */
    private double gamma(double shape) {
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x;
            double v;
            do {
                x = random.nextGaussian();
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = random.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }
}
