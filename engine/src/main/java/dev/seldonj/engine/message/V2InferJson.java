package dev.seldonj.engine.message;

import dev.seldonj.api.protocol.SeldonJsonException;
import dev.seldonj.api.protocol.V2Json;
import dev.seldonj.engine.core.EngineException;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelInferRequest;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelInferResponse;
import java.nio.charset.StandardCharsets;

/**
 * Where a gRPC {@code ModelInfer} call meets REST nodes: the shared Open Inference Protocol codec of
 * {@code api}, with its faults mapped to the engine's errors (a bad request is the client's, a bad
 * answer is the node's).
 */
public final class V2InferJson {

    private V2InferJson() {}

    public static byte[] request(ModelInferRequest request) {
        try {
            return V2Json.printRequest(request).getBytes(StandardCharsets.UTF_8);
        } catch (SeldonJsonException e) {
            throw EngineException.badRequest("the inference request has no JSON form: " + e.getMessage());
        }
    }

    public static ModelInferResponse response(byte[] json) {
        try {
            return V2Json.parseResponse(json);
        } catch (SeldonJsonException e) {
            throw new EngineException(
                    EngineException.Kind.INVALID_RESPONSE, "invalid inference response: " + e.getMessage());
        }
    }
}
