package dev.seldonj.engine.client;

import dev.seldonj.api.model.Protocol;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.TensorflowMessages;
import dev.seldonj.engine.message.V2Messages;

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
    public byte[] request(Message m, String node) {
      return m.json();
    }

    @Override
    public byte[] json(Message m) {
      return m.json();
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
    public byte[] request(Message m, String node) {
      return V2Messages.requestJson(m);
    }

    @Override
    public byte[] json(Message m) {
      return V2Messages.json(m);
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
    public byte[] request(Message m, String node) {
      return TensorflowMessages.requestJson(m, node);
    }

    @Override
    public byte[] json(Message m) {
      return TensorflowMessages.json(m);
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

  /** The body of a predict or transform call: the previous step's answer chained into a request. */
  public abstract byte[] request(Message m, String node);

  /** The message as JSON, as it is (route and aggregate calls). */
  public abstract byte[] json(Message m);
}
