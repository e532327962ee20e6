package dev.seldonj.wrapper;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;
import org.tensorflow.framework.TensorShapeProto;

/**
 * Numeric {@code tftensor} payloads (TensorFlow's {@code TensorProto}) as rows of doubles and back. Reads the packed
 * {@code tensor_content} (little-endian) or the typed value lists of float, double and integer tensors, a single
 * value filling the shape as in TensorFlow; writes {@code DT_DOUBLE} with {@code tensor_content}, as the Python
 * wrapper's {@code tf.make_tensor_proto} does for a float64 array.
 */
final class TfTensors {

    private TfTensors() {}

    /** Elements a single value may fill (TensorFlow broadcasts it): beyond, a small body would claim gigabytes. */
    static final long MAX_FILLED_ELEMENTS = 1 << 20;

    static double[][] matrix(TensorProto t) {
        List<TensorShapeProto.Dim> dims = t.getTensorShape().getDimList();
        if (dims.size() > 2) {
            throw new SeldonComponentException(
                    "data.tftensor.tensorShape: expected 1 or 2 dimensions, got " + dims.size());
        }
        double[] values = values(t, elements(t));
        int rows = dims.size() == 2 ? (int) dims.get(0).getSize() : 1;
        int columns = dims.isEmpty() ? 1 : (int) dims.get(dims.size() - 1).getSize();
        double[][] out = new double[rows][columns];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(values, r * columns, out[r], 0, columns);
        }
        return out;
    }

    /**
     * The element count of the tensor's shape, refusing negative dimensions and shapes the payload cannot fill: more
     * elements than it carries values (or bytes), unless one value fills at most {@link #MAX_FILLED_ELEMENTS}.
     */
    static long elements(TensorProto t) {
        long count = 1;
        for (TensorShapeProto.Dim d : t.getTensorShape().getDimList()) {
            if (d.getSize() < 0) {
                throw new SeldonComponentException("data.tftensor.tensorShape: a dimension is " + d.getSize());
            }
            count = d.getSize() == 0 || count == 0
                    ? 0
                    : count > Long.MAX_VALUE / d.getSize() ? Long.MAX_VALUE : count * d.getSize();
        }
        long carried = t.getTensorContent().isEmpty()
                ? carriedValues(t)
                : t.getTensorContent().size();
        if (count > carried && (carried > 1 || count > MAX_FILLED_ELEMENTS)) {
            throw new SeldonComponentException(
                    "data.tftensor.tensorShape: " + (count == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : count)
                            + " elements, but the payload carries " + carried + " value(s)"
                            + (carried <= 1 ? " and one value fills at most " + MAX_FILLED_ELEMENTS : ""));
        }
        return count;
    }

    private static long carriedValues(TensorProto t) {
        return (long) t.getHalfValCount()
                + t.getFloatValCount()
                + t.getDoubleValCount()
                + t.getIntValCount()
                + t.getStringValCount()
                + t.getScomplexValCount()
                + t.getInt64ValCount()
                + t.getBoolValCount()
                + t.getDcomplexValCount()
                + t.getResourceHandleValCount()
                + t.getVariantValCount()
                + t.getUint32ValCount()
                + t.getUint64ValCount();
    }

    static TensorProto of(double[][] rows) {
        int columns = rows.length == 0 ? 0 : rows[0].length;
        ByteBuffer content =
                ByteBuffer.allocate(rows.length * columns * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (double[] row : rows) {
            for (double v : row) {
                content.putDouble(v);
            }
        }
        return TensorProto.newBuilder()
                .setDtype(DataType.DT_DOUBLE)
                .setTensorShape(TensorShapeProto.newBuilder()
                        .addDim(TensorShapeProto.Dim.newBuilder().setSize(rows.length))
                        .addDim(TensorShapeProto.Dim.newBuilder().setSize(columns)))
                .setTensorContent(ByteString.copyFrom(content.array()))
                .build();
    }

    private static double[] values(TensorProto t, long count) {
        DataType type = t.getDtype();
        int width = switch (type) {
            case DT_FLOAT, DT_INT32 -> 4;
            case DT_DOUBLE, DT_INT64 -> 8;
            default ->
                throw new SeldonComponentException(
                        "data.tftensor.dtype: expected DT_FLOAT, DT_DOUBLE, DT_INT32 or " + "DT_INT64, got " + type);
        };
        double[] out = new double[(int) count];
        if (!t.getTensorContent().isEmpty()) {
            if (t.getTensorContent().size() != count * width) {
                throw new SeldonComponentException("data.tftensor.tensorContent: shape needs " + count * width
                        + " bytes of " + type + ", got " + t.getTensorContent().size());
            }
            ByteBuffer in = t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < count; i++) {
                out[i] = switch (type) {
                    case DT_FLOAT -> in.getFloat();
                    case DT_INT32 -> in.getInt();
                    case DT_DOUBLE -> in.getDouble();
                    default -> in.getLong();
                };
            }
            return out;
        }
        int given = switch (type) {
            case DT_FLOAT -> t.getFloatValCount();
            case DT_DOUBLE -> t.getDoubleValCount();
            case DT_INT32 -> t.getIntValCount();
            default -> t.getInt64ValCount();
        };
        if (given != count && !(given == 1 && count > 0)) {
            throw new SeldonComponentException("data.tftensor: shape needs " + count + " values, got " + given);
        }
        for (int i = 0; i < count; i++) {
            int at = given == 1 ? 0 : i; // one value fills the tensor, as in TensorFlow
            out[i] = switch (type) {
                case DT_FLOAT -> t.getFloatVal(at);
                case DT_DOUBLE -> t.getDoubleVal(at);
                case DT_INT32 -> t.getIntVal(at);
                default -> t.getInt64Val(at);
            };
        }
        return out;
    }
}
