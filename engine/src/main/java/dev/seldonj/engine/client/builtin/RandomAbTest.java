package dev.seldonj.engine.client.builtin;

import dev.seldonj.api.model.Parameter;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.RequestContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.DoubleSupplier;

/** RANDOM_ABTEST: child 0 with probability {@code ratioA} (default 0.5), else child 1. */
public final class RandomAbTest extends BuiltInClient {

    private final double ratioA;
    private final DoubleSupplier random;

    public RandomAbTest(String node, List<Parameter> parameters, int children) {
        super(node);
        NodeParameters p = new NodeParameters(node, parameters);
        if (children != 2) {
            throw new IllegalArgumentException(
                    "node '" + node + "': RANDOM_ABTEST needs exactly 2 children, found " + children);
        }
        this.ratioA = p.number("ratioA", 0.5);
        p.requireRange("ratioA", ratioA, 0, 1);
        this.random = Randoms.uniform(p.optionalLong("seed"));
    }

    @Override
    public CompletableFuture<Integer> route(Message input, RequestContext ctx) {
        return CompletableFuture.completedFuture(random.getAsDouble() < ratioA ? 0 : 1);
    }
}
