package dev.seldonj.engine.client;

import dev.seldonj.api.model.Protocol;
import dev.seldonj.engine.core.Step;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.TensorflowMessages;
import dev.seldonj.engine.message.V2Messages;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * How a graph's protocol meets a REST node (Seldon's executor, {@code rest/client.go}): the paths of
 * each call, and the body a step sends, chained from the previous step's answer.
 */
public enum RestProtocol {
    SELDON {
        @Override
        public String path(Step step, String node) {
            return step.restPath;
        }

        @Override
        public String statusPath(String node) {
            return "/health/status";
        }

        @Override
        public String metadataPath(String node) {
            return "/metadata";
        }

        @Override
        public ByteBuf request(Message m, String node) {
            return m.json().retainedDuplicate();
        }

        @Override
        public ByteBuf json(Message m) {
            return m.json().retainedDuplicate();
        }
    },

    V2 {
        @Override
        public String path(Step step, String node) {
            return switch (step) {
                case PREDICT, TRANSFORM_INPUT, TRANSFORM_OUTPUT -> "/v2/models/" + node + "/infer";
                case ROUTE -> "/v2/models/" + node + "/route";
                case AGGREGATE -> "/v2/models/" + node + "/aggregate";
                case SEND_FEEDBACK -> "/v2/models/" + node + "/feedback";
            };
        }

        @Override
        public String statusPath(String node) {
            return "/v2/models/" + node + "/ready";
        }

        @Override
        public String metadataPath(String node) {
            return "/v2/models/" + node;
        }

        @Override
        public ByteBuf request(Message m, String node) {
            return Unpooled.wrappedBuffer(V2Messages.requestJson(m));
        }

        @Override
        public ByteBuf json(Message m) {
            return Unpooled.wrappedBuffer(V2Messages.json(m));
        }
    },

    TENSORFLOW {
        @Override
        public String path(Step step, String node) {
            return switch (step) {
                case PREDICT, TRANSFORM_INPUT, TRANSFORM_OUTPUT -> "/v1/models/" + node + ":predict";
                case ROUTE -> "/v1/models/" + node + ":route";
                case AGGREGATE -> "/v1/models/" + node + ":aggregate";
                case SEND_FEEDBACK -> "/v1/models/" + node + ":feedback";
            };
        }

        @Override
        public String statusPath(String node) {
            return "/v1/models/" + node;
        }

        @Override
        public String metadataPath(String node) {
            return "/v1/models/" + node + "/metadata";
        }

        @Override
        public ByteBuf request(Message m, String node) {
            return Unpooled.wrappedBuffer(TensorflowMessages.requestJson(m, node));
        }

        @Override
        public ByteBuf json(Message m) {
            return Unpooled.wrappedBuffer(TensorflowMessages.json(m));
        }
    };

    public static RestProtocol of(Protocol protocol) {
        return switch (protocol) {
            case SELDON -> SELDON;
            case V2, KFSERVING -> V2;
            case TENSORFLOW -> TENSORFLOW;
        };
    }

    /** The path of {@code step} on node {@code node}. */
    public abstract String path(Step step, String node);

    /** {@code GET}: the node's health ({@code /api/v1.0/status/{model}}). */
    public abstract String statusPath(String node);

    /** {@code GET}: the node's model metadata. */
    public abstract String metadataPath(String node);

    /**
     * The body of a predict or transform call: the previous step's answer chained into a request. The
     * caller owns (releases) the buffer; Seldon's JSON is the message's own, retained, not copied.
     */
    public abstract ByteBuf request(Message m, String node);

    /** The message as JSON, as it is (route and aggregate calls); the caller owns the buffer. */
    public abstract ByteBuf json(Message m);
}
