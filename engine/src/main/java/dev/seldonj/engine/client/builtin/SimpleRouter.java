package dev.seldonj.engine.client.builtin;

import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.RequestContext;
import java.util.concurrent.CompletableFuture;

/** SIMPLE_ROUTER: always the first child, as Seldon's Java engine. */
public final class SimpleRouter extends BuiltInClient {

    private static final CompletableFuture<Integer> FIRST = CompletableFuture.completedFuture(0);

    public SimpleRouter(String node) {
        super(node);
    }

    @Override
    public CompletableFuture<Integer> route(Message input, RequestContext ctx) {
        return FIRST;
    }
}
