package dev.seldonj.engine.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.seldonj.engine.exec.EngineException;
import dev.seldonj.protocol.v2.GrpcPredictV2.InferTensorContents;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelInferRequest;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelInferResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Open Inference Protocol messages between gRPC ({@code ModelInferRequest/Response}, typed
 * {@code contents}) and REST (JSON tensors with flat {@code data}). Used only where a gRPC client
 * meets REST nodes. Raw contents and FP16 are not converted.
 */
public final class V2Json {

  private V2Json() {}

  public static byte[] request(ModelInferRequest r) {
    if (r.getRawInputContentsCount() > 0) {
      throw EngineException.badRequest("raw_input_contents is not supported: send typed contents");
    }
    ObjectNode root = SeldonJsonScanner.MAPPER.createObjectNode();
    if (!r.getId().isEmpty()) {
      root.put("id", r.getId());
    }
    ArrayNode inputs = root.putArray("inputs");
    for (ModelInferRequest.InferInputTensor t : r.getInputsList()) {
      ObjectNode o = inputs.addObject();
      o.put("name", t.getName());
      o.put("datatype", t.getDatatype());
      ArrayNode shape = o.putArray("shape");
      t.getShapeList().forEach(shape::add);
      o.set("data", data(t.getDatatype(), t.getContents(), "inputs." + t.getName()));
    }
    if (r.getOutputsCount() > 0) {
      ArrayNode outputs = root.putArray("outputs");
      r.getOutputsList().forEach(out -> outputs.addObject().put("name", out.getName()));
    }
    try {
      return SeldonJsonScanner.MAPPER.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new EngineException(EngineException.Kind.INTERNAL, e.getMessage());
    }
  }

  public static ModelInferResponse response(byte[] json) {
    JsonNode root;
    try {
      root = SeldonJsonScanner.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new EngineException(EngineException.Kind.INVALID_RESPONSE, "invalid inference response JSON: "
          + e.getMessage());
    }
    ModelInferResponse.Builder b = ModelInferResponse.newBuilder()
        .setModelName(root.path("model_name").asText(""))
        .setModelVersion(root.path("model_version").asText(""))
        .setId(root.path("id").asText(""));
    JsonNode outputs = root.path("outputs");
    for (int i = 0; i < outputs.size(); i++) {
      JsonNode t = outputs.get(i);
      ModelInferResponse.InferOutputTensor.Builder o = ModelInferResponse.InferOutputTensor.newBuilder()
          .setName(t.path("name").asText("")).setDatatype(t.path("datatype").asText(""));
      t.path("shape").forEach(s -> o.addShape(s.asLong()));
      o.setContents(contents(o.getDatatype(), t.path("data"), "outputs[" + i + "].data"));
      b.addOutputs(o);
    }
    return b.build();
  }

  private static ArrayNode data(String datatype, InferTensorContents c, String path) {
    ArrayNode a = SeldonJsonScanner.MAPPER.createArrayNode();
    switch (datatype) {
      case "BOOL" -> c.getBoolContentsList().forEach(a::add);
      case "INT8", "INT16", "INT32" -> c.getIntContentsList().forEach(a::add);
      case "INT64" -> c.getInt64ContentsList().forEach(a::add);
      case "UINT8", "UINT16", "UINT32" -> c.getUintContentsList().forEach(v -> a.add(Integer.toUnsignedLong(v)));
      case "UINT64" -> c.getUint64ContentsList().forEach(a::add);
      case "FP32" -> c.getFp32ContentsList().forEach(a::add);
      case "FP64" -> c.getFp64ContentsList().forEach(a::add);
      case "BYTES" -> c.getBytesContentsList().forEach(v -> a.add(v.toStringUtf8()));
      default -> throw EngineException.badRequest(path + ": datatype " + datatype + " is not supported");
    }
    return a;
  }

  private static InferTensorContents contents(String datatype, JsonNode data, String path) {
    InferTensorContents.Builder c = InferTensorContents.newBuilder();
    java.util.List<JsonNode> flat = new java.util.ArrayList<>();
    flatten(data, flat);
    for (JsonNode v : flat) {
      switch (datatype) {
        case "BOOL" -> c.addBoolContents(v.asBoolean());
        case "INT8", "INT16", "INT32" -> c.addIntContents(v.asInt());
        case "INT64" -> c.addInt64Contents(v.asLong());
        case "UINT8", "UINT16", "UINT32" -> c.addUintContents((int) v.asLong());
        case "UINT64" -> c.addUint64Contents(v.asLong());
        case "FP32" -> c.addFp32Contents((float) v.asDouble());
        case "FP64" -> c.addFp64Contents(v.asDouble());
        case "BYTES" -> c.addBytesContents(ByteString.copyFrom(v.asText(), StandardCharsets.UTF_8));
        default -> throw new EngineException(EngineException.Kind.INVALID_RESPONSE, path + ": datatype " + datatype
            + " is not supported");
      }
    }
    return c.build();
  }

  private static void flatten(JsonNode n, java.util.List<JsonNode> out) {
    if (n.isArray()) {
      n.forEach(e -> flatten(e, out));
    } else if (!n.isMissingNode()) {
      out.add(n);
    }
  }
}
