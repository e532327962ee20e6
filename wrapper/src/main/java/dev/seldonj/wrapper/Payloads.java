package dev.seldonj.wrapper;

import com.google.protobuf.ListValue;
import com.google.protobuf.Value;
import io.seldon.protos.PredictionProtos.DefaultData;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.PredictionProtos.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.framework.TensorProto;

/**
 * Conveniences for numeric payloads, following the Python wrapper's conventions: a numeric answer keeps
 * the request's form ({@code tensor} or {@code ndarray}), a request without {@code data} gets a
 * {@code tensor}, and 2-D answers without class names are named {@code t:0, t:1, ...}.
 */
public final class Payloads {

    private Payloads() {}

    /** The request's numbers as rows (a 1-D payload is one row); bad input names what is wrong. */
    public static double[][] matrix(SeldonMessage message) {
        if (!message.hasData()) {
            throw new SeldonComponentException(
                    "expected numeric data (data.tensor or data.ndarray), got " + payloadName(message));
        }
        DefaultData data = message.getData();
        return switch (data.getDataOneofCase()) {
            case TENSOR -> fromTensor(data.getTensor());
            case NDARRAY -> fromNdarray(data.getNdarray());
            case TFTENSOR -> TfTensors.matrix(data.getTftensor());
            default ->
                throw new SeldonComponentException("data: expected a tensor, an ndarray or a tftensor, got no payload");
        };
    }

    /**
     * A numeric answer in the request's form ({@code tensor}, {@code ndarray} or {@code tftensor}), named
     * {@code names} (or {@code t:i} when null), as the Python wrapper names a 2-D answer in every form.
     */
    public static SeldonMessage respondLike(SeldonMessage request, double[][] rows, List<String> names) {
        int columns = rows.length == 0 ? 0 : rows[0].length;
        DefaultData.Builder data = DefaultData.newBuilder().addAllNames(names != null ? names : defaultNames(columns));
        boolean ndarray = request.hasData() && request.getData().hasNdarray();
        if (request.hasData() && request.getData().hasTftensor()) {
            data.setTftensor(TfTensors.of(rows));
        } else if (ndarray) {
            ListValue.Builder outer = ListValue.newBuilder();
            for (double[] row : rows) {
                ListValue.Builder inner = ListValue.newBuilder();
                for (double v : row) {
                    inner.addValues(Value.newBuilder().setNumberValue(v));
                }
                outer.addValues(Value.newBuilder().setListValue(inner));
            }
            data.setNdarray(outer);
        } else {
            Tensor.Builder tensor = Tensor.newBuilder().addShape(rows.length).addShape(columns);
            for (double[] row : rows) {
                for (double v : row) {
                    tensor.addValues(v);
                }
            }
            data.setTensor(tensor);
        }
        return SeldonMessage.newBuilder().setData(data).build();
    }

    /** A router's answer: child {@code child} ({@code -1} all children, {@code -2} stop), as {@code [[child]]}. */
    public static SeldonMessage route(SeldonMessage request, int child) {
        return respondLike(request, new double[][] {{child}}, null);
    }

    /** An empty payload in the request's form, as the Python wrapper answers an unimplemented method. */
    public static DefaultData emptyLike(SeldonMessage request) {
        if (request.hasData() && request.getData().hasNdarray()) {
            return DefaultData.newBuilder()
                    .setNdarray(ListValue.getDefaultInstance())
                    .build();
        }
        return DefaultData.newBuilder()
                .setTensor(Tensor.newBuilder().addShape(0))
                .build();
    }

    /**
     * The request's payload passed through as the Python wrapper passes a method's unchanged answer
     * ({@code return X}): same values and form, but 2-D data renamed {@code t:0, t:1, ...} and 1-D data
     * unnamed, since the answer is named after the component's (absent) class names, not the request's.
     */
    public static SeldonMessage passThrough(SeldonMessage request) {
        SeldonMessage.Builder answer = request.toBuilder().clearMeta().clearStatus();
        if (request.hasData()) {
            answer.getDataBuilder().clearNames().addAllNames(columnNames(request.getData()));
        }
        return answer.build();
    }

    private static List<String> columnNames(DefaultData data) {
        return switch (data.getDataOneofCase()) {
            case TENSOR -> tensorNames(data.getTensor());
            case NDARRAY -> {
                ListValue rows = data.getNdarray();
                boolean twoD = rows.getValuesCount() > 0 && rows.getValues(0).hasListValue();
                yield twoD ? defaultNames(rows.getValues(0).getListValue().getValuesCount()) : List.of();
            }
            case TFTENSOR -> tftensorNames(data.getTftensor());
            default -> List.of();
        };
    }

    /**
     * Names for a 2-D tensor's columns, when its values fill its shape exactly (numpy's reshape, which the Python
     * wrapper applies): so no shape names more columns than the request carries values.
     */
    private static List<String> tensorNames(Tensor tensor) {
        long needed = 1;
        for (int d : tensor.getShapeList()) {
            if (d < 0) {
                throw new SeldonComponentException("data.tensor.shape: a dimension is " + d);
            }
            needed = Math.min(needed * d, Integer.MAX_VALUE + 1L);
        }
        if (!tensor.getShapeList().isEmpty() && needed != tensor.getValuesCount()) {
            throw new SeldonComponentException("data.tensor: shape " + tensor.getShapeList() + " needs " + needed
                    + " values, got " + tensor.getValuesCount());
        }
        return tensor.getShapeCount() >= 2 && needed > 0 ? defaultNames(tensor.getShape(1)) : List.of();
    }

    /** Names for a 2-D tftensor's columns; its shape is checked against what the payload carries first. */
    private static List<String> tftensorNames(TensorProto tensor) {
        long elements = TfTensors.elements(tensor);
        return tensor.getTensorShape().getDimCount() >= 2 && elements > 0
                ? defaultNames((int) tensor.getTensorShape().getDim(1).getSize())
                : List.of();
    }

    /** {@code t:0 ... t:(n-1)}, the Python wrapper's names for unnamed columns. */
    public static List<String> defaultNames(int n) {
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add("t:" + i);
        }
        return names;
    }

    private static double[][] fromTensor(Tensor tensor) {
        List<Integer> shape = tensor.getShapeList();
        int count = tensor.getValuesCount();
        if (shape.size() > 2) {
            throw new SeldonComponentException("data.tensor.shape: expected 1 or 2 dimensions, got " + shape);
        }
        int rows = shape.size() == 2 ? shape.get(0) : 1;
        int columns = shape.size() == 2 ? shape.get(1) : count;
        if ((long) rows * columns != count) {
            throw new SeldonComponentException(
                    "data.tensor: shape " + shape + " needs " + ((long) rows * columns) + " values, got " + count);
        }
        double[][] out = new double[rows][columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                out[r][c] = tensor.getValues(r * columns + c);
            }
        }
        return out;
    }

    private static double[][] fromNdarray(ListValue ndarray) {
        List<Value> items = ndarray.getValuesList();
        boolean nested = !items.isEmpty() && items.get(0).hasListValue();
        if (!nested) {
            return new double[][] {numbers(items, "data.ndarray")};
        }
        double[][] out = new double[items.size()][];
        for (int r = 0; r < items.size(); r++) {
            String path = "data.ndarray[" + r + "]";
            if (!items.get(r).hasListValue()) {
                throw new SeldonComponentException(path + ": expected a row (an array of numbers)");
            }
            out[r] = numbers(items.get(r).getListValue().getValuesList(), path);
            if (out[r].length != out[0].length) {
                throw new SeldonComponentException(
                        path + ": expected " + out[0].length + " values like row 0, got " + out[r].length);
            }
        }
        return out;
    }

    private static double[] numbers(List<Value> values, String path) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            Value v = values.get(i);
            if (!v.hasNumberValue()) {
                throw new SeldonComponentException(path + "[" + i + "]: expected a number, got " + describe(v));
            }
            out[i] = v.getNumberValue();
        }
        return out;
    }

    /** The name of the message's payload field as it appears in JSON. */
    public static String payloadName(SeldonMessage message) {
        return switch (message.getDataOneofCase()) {
            case DATA -> "data";
            case BINDATA -> "binData";
            case STRDATA -> "strData";
            case JSONDATA -> "jsonData";
            case CUSTOMDATA -> "customData";
            case DATAONEOF_NOT_SET -> "no payload";
        };
    }

    private static String describe(Value v) {
        return switch (v.getKindCase()) {
            case STRING_VALUE -> "\"" + v.getStringValue() + "\"";
            case BOOL_VALUE -> String.valueOf(v.getBoolValue());
            case LIST_VALUE -> "an array";
            case STRUCT_VALUE -> "an object";
            default -> "null";
        };
    }
}
