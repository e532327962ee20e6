package dev.seldonj.engine.client.builtin;

import dev.seldonj.engine.core.Step;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.RequestContext;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/** SIMPLE_MODEL: Seldon's stub model, answering the fixed class probabilities of its Java engine. */
public final class SimpleModel extends BuiltInClient {

    static final byte[] ANSWER = ("{\"data\":{\"names\":[\"class0\",\"class1\",\"class2\"],"
                    + "\"tensor\":{\"shape\":[1,3],\"values\":[0.1,0.9,0.5]}}}")
            .getBytes(StandardCharsets.US_ASCII);

    public SimpleModel(String node) {
        super(node);
    }

    @Override
    public CompletableFuture<Message> transform(Step step, Message input, RequestContext ctx) {
        return CompletableFuture.completedFuture(Message.trusted(ANSWER));
    }
}
