package dev.seldonj.engine.message;

import dev.seldonj.api.protocol.SeldonJsonException;
import dev.seldonj.api.protocol.V2Json;
import dev.seldonj.engine.core.EngineException;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelInferRequest;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelInferResponse;
import java.nio.charset.StandardCharsets;

/**
 * Open Inference Protocol (v2) payloads in either form: JSON for REST nodes and REST clients, the
 * {@code ModelInfer} protobufs for gRPC ones. Between gRPC steps the protobufs pass untouched,
 * {@code raw_output_contents} becoming the next {@code raw_input_contents}; converted (raw bytes
 * decoded into JSON numbers) only where a REST step or client needs JSON.
 */
public final class V2Messages {

    private V2Messages() {}

    /** The message as a REST node's request body: an answer's {@code outputs} become {@code inputs}. */
    public static byte[] requestJson(Message m) {
        if (m.protocolProto() instanceof ModelInferRequest r) {
            return V2InferJson.request(r);
        }
        if (m.protocolProto() instanceof ModelInferResponse r) {
            return V2InferJson.request(chain(r, r.getModelName()));
        }
        return V2Chain.asRequest(m.jsonBytes());
    }

    /** The message as JSON, as it is (router and combiner inputs, a REST client's answer). */
    public static byte[] json(Message m) {
        if (m.protocolProto() instanceof ModelInferRequest r) {
            return V2InferJson.request(r);
        }
        if (m.protocolProto() instanceof ModelInferResponse r) {
            return V2Json.printResponse(r).getBytes(StandardCharsets.UTF_8);
        }
        return m.jsonBytes();
    }

    /**
     * The message as the request of gRPC node {@code node}: a request untouched (as Seldon's executor
     * passes the client's), an answer chained into a request for {@code node}.
     */
    public static ModelInferRequest requestProto(Message m, String node) {
        if (m.protocolProto() instanceof ModelInferRequest r) {
            return r;
        }
        if (m.protocolProto() instanceof ModelInferResponse r) {
            return chain(r, node);
        }
        try {
            return V2Json.parseRequest(V2Chain.asRequest(m.jsonBytes())).toBuilder()
                    .setModelName(node)
                    .build();
        } catch (SeldonJsonException e) {
            throw EngineException.badRequest("cannot pass the message to gRPC node '" + node + "': " + e.getMessage());
        }
    }

    /**
     * The message as the answer of a gRPC client whose request was {@code request}: in raw contents when the
     * client sent raw contents (as MLServer answers), whatever form the last node answered in.
     */
    public static ModelInferResponse responseProto(Message m, ModelInferRequest request) {
        ModelInferResponse r = responseProto(m);
        return request.getRawInputContentsCount() > 0 ? V2RawContents.toRaw(r) : r;
    }

    /** The message as a gRPC client's answer. */
    public static ModelInferResponse responseProto(Message m) {
        if (m.protocolProto() instanceof ModelInferResponse r) {
            return r;
        }
        if (m.protocolProto() instanceof ModelInferRequest r) {
            return unchain(r);
        }
        return V2InferJson.response(m.jsonBytes());
    }

    /** A step's answer as the next step's request: same tensors and raw contents, addressed to {@code node}. */
    static ModelInferRequest chain(ModelInferResponse r, String node) {
        ModelInferRequest.Builder b = ModelInferRequest.newBuilder()
                .setModelName(node)
                .setId(r.getId())
                .putAllParameters(r.getParametersMap())
                .addAllRawInputContents(r.getRawOutputContentsList());
        for (ModelInferResponse.InferOutputTensor t : r.getOutputsList()) {
            b.addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                    .setName(t.getName())
                    .setDatatype(t.getDatatype())
                    .addAllShape(t.getShapeList())
                    .putAllParameters(t.getParametersMap())
                    .setContents(t.getContents()));
        }
        return b.build();
    }

    /** A request answered as it is (a router stopped the graph before any model). */
    private static ModelInferResponse unchain(ModelInferRequest r) {
        ModelInferResponse.Builder b = ModelInferResponse.newBuilder()
                .setModelName(r.getModelName())
                .setModelVersion(r.getModelVersion())
                .setId(r.getId())
                .putAllParameters(r.getParametersMap())
                .addAllRawOutputContents(r.getRawInputContentsList());
        for (ModelInferRequest.InferInputTensor t : r.getInputsList()) {
            b.addOutputs(ModelInferResponse.InferOutputTensor.newBuilder()
                    .setName(t.getName())
                    .setDatatype(t.getDatatype())
                    .addAllShape(t.getShapeList())
                    .putAllParameters(t.getParametersMap())
                    .setContents(t.getContents()));
        }
        return b.build();
    }
}
