package dev.seldonj.engine.client.builtin;

import com.google.protobuf.ListValue;
import com.google.protobuf.Value;
import dev.seldonj.engine.core.EngineException;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.RequestContext;
import io.seldon.protos.PredictionProtos.DefaultData;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.PredictionProtos.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * AVERAGE_COMBINER: the element-wise mean of the children's {@code data} (tensor or ndarray of
 * numbers, equal sizes), in the form and with the names of the first child's answer.
 */
public final class BuiltInAverageCombiner extends BuiltInClient {

    public BuiltInAverageCombiner(String node) {
        super(node);
    }

    @Override
    public CompletableFuture<Message> aggregate(List<Message> inputs, RequestContext ctx) {
        try {
            return CompletableFuture.completedFuture(Message.of(average(inputs)));
        } catch (EngineException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private SeldonMessage average(List<Message> inputs) {
        if (inputs.isEmpty()) {
            throw invalid("no inputs to average");
        }
        double[] sum = null;
        for (int i = 0; i < inputs.size(); i++) {
            double[] values = values(inputs.get(i).proto().getData(), i);
            if (sum == null) {
                sum = values;
            } else if (values.length != sum.length) {
                throw invalid("input " + i + " has " + values.length + " values, input 0 has " + sum.length);
            } else {
                for (int j = 0; j < sum.length; j++) {
                    sum[j] += values[j];
                }
            }
        }
        for (int j = 0; j < sum.length; j++) {
            sum[j] /= inputs.size();
        }
        DefaultData first = inputs.get(0).proto().getData();
        DefaultData.Builder out = DefaultData.newBuilder().addAllNames(first.getNamesList());
        if (first.hasTensor()) {
            Tensor.Builder t = Tensor.newBuilder().addAllShape(first.getTensor().getShapeList());
            for (double v : sum) {
                t.addValues(v);
            }
            out.setTensor(t);
        } else {
            int[] next = {0};
            out.setNdarray(rebuild(first.getNdarray(), sum, next));
        }
        return SeldonMessage.newBuilder().setData(out).build();
    }

    private double[] values(DefaultData data, int index) {
        if (data.hasTensor()) {
            return data.getTensor().getValuesList().stream()
                    .mapToDouble(Double::doubleValue)
                    .toArray();
        }
        if (data.hasNdarray()) {
            List<Double> flat = new ArrayList<>();
            flatten(data.getNdarray(), flat, index);
            return flat.stream().mapToDouble(Double::doubleValue).toArray();
        }
        throw invalid("input " + index + " has no data.tensor or data.ndarray to average");
    }

    private void flatten(ListValue list, List<Double> out, int index) {
        for (Value v : list.getValuesList()) {
            if (v.hasListValue()) {
                flatten(v.getListValue(), out, index);
            } else if (v.hasNumberValue()) {
                out.add(v.getNumberValue());
            } else {
                throw invalid("input " + index + " has a non-numeric value in data.ndarray");
            }
        }
    }

    private ListValue rebuild(ListValue shape, double[] values, int[] next) {
        ListValue.Builder b = ListValue.newBuilder();
        for (Value v : shape.getValuesList()) {
            if (v.hasListValue()) {
                b.addValues(Value.newBuilder().setListValue(rebuild(v.getListValue(), values, next)));
            } else {
                b.addValues(Value.newBuilder().setNumberValue(values[next[0]++]));
            }
        }
        return b.build();
    }

    private EngineException invalid(String why) {
        return new EngineException(
                EngineException.Kind.COMPONENT_ERROR, "combiner '" + node + "' cannot average: " + why);
    }
}
