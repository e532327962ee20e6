package dev.seldonj.engine.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.seldonj.protocol.v2.GrpcPredictV2.InferTensorContents;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelInferResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class V2RawContentsTest {

    private static ModelInferResponse typed(String datatype, InferTensorContents.Builder c) {
        return ModelInferResponse.newBuilder()
                .setModelName("m")
                .addOutputs(ModelInferResponse.InferOutputTensor.newBuilder()
                        .setName("y")
                        .setDatatype(datatype)
                        .addShape(2)
                        .setContents(c))
                .build();
    }

    private static ByteBuffer le(ByteString b) {
        return b.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void typedContentsBecomeLittleEndianRawBytesAndAnEmptyContentsMessage() {
        ModelInferResponse raw = V2RawContents.toRaw(typed(
                "FP64", InferTensorContents.newBuilder().addFp64Contents(1.5).addFp64Contents(-2)));
        ByteBuffer b = le(raw.getRawOutputContents(0));
        assertThat(b.getDouble()).isEqualTo(1.5);
        assertThat(b.getDouble()).isEqualTo(-2.0);
        assertThat(raw.getOutputs(0).hasContents()).isTrue();
        assertThat(raw.getOutputs(0).getContents()).isEqualTo(InferTensorContents.getDefaultInstance());

        ByteBuffer ints = le(V2RawContents.toRaw(typed(
                        "INT16",
                        InferTensorContents.newBuilder().addIntContents(-3).addIntContents(7)))
                .getRawOutputContents(0));
        assertThat(ints.remaining()).isEqualTo(4);
        assertThat(ints.getShort()).isEqualTo((short) -3);
        ByteBuffer u64 = le(V2RawContents.toRaw(
                        typed("UINT64", InferTensorContents.newBuilder().addUint64Contents(-1L)))
                .getRawOutputContents(0));
        assertThat(Long.toUnsignedString(u64.getLong())).isEqualTo("18446744073709551615");
    }

    @Test
    void bytesElementsArePrefixedWithTheirLengthAndRawAnswersStayAsTheyAre() {
        ModelInferResponse raw = V2RawContents.toRaw(typed(
                "BYTES",
                InferTensorContents.newBuilder()
                        .addBytesContents(ByteString.copyFromUtf8("ab"))
                        .addBytesContents(ByteString.copyFromUtf8("é"))));
        ByteBuffer b = le(raw.getRawOutputContents(0));
        assertThat(b.getInt()).isEqualTo(2);
        byte[] ab = new byte[2];
        b.get(ab);
        assertThat(new String(ab, StandardCharsets.UTF_8)).isEqualTo("ab");
        assertThat(b.getInt()).isEqualTo(2); // é is two bytes

        assertThat(V2RawContents.toRaw(raw)).isSameAs(raw);
    }
}
