package dev.seldonj.components;

import dev.seldonj.wrapper.Payloads;
import dev.seldonj.wrapper.SeldonComponent;
import io.seldon.protos.PredictionProtos.DefaultData;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import java.util.List;

/**
 * The identity model of seed 003 ({@code MLScore.predict} returns {@code X}): the payload comes back
 * unchanged; like the Python wrapper, 2-D data is renamed {@code t:0, t:1, ...} (the model has no class
 * names) and 1-D data loses its names.
 */
public final class IdentityModel implements SeldonComponent {

  @Override
  public SeldonMessage predict(SeldonMessage request) {
    SeldonMessage.Builder answer = request.toBuilder().clearMeta().clearStatus();
    if (request.hasData()) {
      DefaultData data = request.getData();
      answer.getDataBuilder().clearNames().addAllNames(columnNames(data));
    }
    return answer.build();
  }

  private static List<String> columnNames(DefaultData data) {
    return switch (data.getDataOneofCase()) {
      case TENSOR -> data.getTensor().getShapeCount() >= 2 ? Payloads.defaultNames(data.getTensor().getShape(1)) : List.of();
      case NDARRAY -> {
        var rows = data.getNdarray();
        boolean twoD = rows.getValuesCount() > 0 && rows.getValues(0).hasListValue();
        yield twoD ? Payloads.defaultNames(rows.getValues(0).getListValue().getValuesCount()) : List.of();
      }
      default -> List.of();
    };
  }
}
