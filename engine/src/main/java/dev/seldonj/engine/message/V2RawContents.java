package dev.seldonj.engine.message;

import com.google.protobuf.ByteString;
import dev.seldonj.engine.core.EngineException;
import dev.seldonj.protocol.v2.GrpcPredictV2.InferTensorContents;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelInferResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Typed {@code contents} as {@code raw_output_contents}: a gRPC client that sent {@code raw_input_contents}
 * reads its answer from the raw field (tritonclient's {@code as_numpy} does, and MLServer answers raw to a
 * raw request), whatever form the last node answered in (a REST node's JSON becomes typed contents).
 * Little-endian, row-major; a BYTES element is its 4-byte little-endian length, then its bytes.
 */
public final class V2RawContents {

    private V2RawContents() {}

    /** {@code r} with every output's contents moved to {@code raw_output_contents}; as it is when already raw. */
    public static ModelInferResponse toRaw(ModelInferResponse r) {
        if (r.getRawOutputContentsCount() > 0 || r.getOutputsCount() == 0) {
            return r;
        }
        ModelInferResponse.Builder b = r.toBuilder().clearRawOutputContents();
        for (int i = 0; i < r.getOutputsCount(); i++) {
            ModelInferResponse.InferOutputTensor t = r.getOutputs(i);
            b.addRawOutputContents(bytes(t.getDatatype(), t.getContents(), "outputs[" + i + "]"));
            // An empty contents message, as MLServer leaves it beside raw contents.
            b.setOutputs(i, t.toBuilder().setContents(InferTensorContents.getDefaultInstance()));
        }
        return b.build();
    }

    static ByteString bytes(String datatype, InferTensorContents c, String path) {
        ByteBuffer buf;
        switch (datatype) {
            case "BOOL" -> {
                buf = allocate(c.getBoolContentsCount());
                c.getBoolContentsList().forEach(v -> buf.put((byte) (v ? 1 : 0)));
            }
            case "INT8", "UINT8" -> {
                var values = datatype.equals("INT8") ? c.getIntContentsList() : c.getUintContentsList();
                buf = allocate(values.size());
                values.forEach(v -> buf.put(v.byteValue()));
            }
            case "INT16", "UINT16" -> {
                var values = datatype.equals("INT16") ? c.getIntContentsList() : c.getUintContentsList();
                buf = allocate(2 * values.size());
                values.forEach(v -> buf.putShort(v.shortValue()));
            }
            case "INT32", "UINT32" -> {
                var values = datatype.equals("INT32") ? c.getIntContentsList() : c.getUintContentsList();
                buf = allocate(4 * values.size());
                values.forEach(buf::putInt);
            }
            case "INT64", "UINT64" -> {
                var values = datatype.equals("INT64") ? c.getInt64ContentsList() : c.getUint64ContentsList();
                buf = allocate(8 * values.size());
                values.forEach(buf::putLong);
            }
            case "FP32" -> {
                buf = allocate(4 * c.getFp32ContentsCount());
                c.getFp32ContentsList().forEach(buf::putFloat);
            }
            case "FP64" -> {
                buf = allocate(8 * c.getFp64ContentsCount());
                c.getFp64ContentsList().forEach(buf::putDouble);
            }
            case "BYTES" -> {
                int size = 0;
                for (ByteString s : c.getBytesContentsList()) {
                    size += 4 + s.size();
                }
                buf = allocate(size);
                c.getBytesContentsList().forEach(s -> buf.putInt(s.size()).put(s.asReadOnlyByteBuffer()));
            }
            default ->
                throw new EngineException(
                        EngineException.Kind.INVALID_RESPONSE,
                        path + ".datatype: \"" + datatype + "\" has no raw form the engine knows");
        }
        return ByteString.copyFrom(buf.flip());
    }

    private static ByteBuffer allocate(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
