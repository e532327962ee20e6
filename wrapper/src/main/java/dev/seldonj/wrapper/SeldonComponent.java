package dev.seldonj.wrapper;

import com.google.protobuf.Value;
import io.seldon.protos.PredictionProtos.Feedback;
import io.seldon.protos.PredictionProtos.Metric;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.PredictionProtos.SeldonMessageList;
import io.seldon.protos.PredictionProtos.SeldonModelMetadata;
import java.util.List;
import java.util.Map;

/**
 * What a model, router, transformer, output transformer or combiner implements to be served on Seldon's
 * internal API. Every method has a default, as in Seldon's Python wrapper: implement only what the
 * component does. Methods are called concurrently, so implementations must be thread-safe.
 *
 * <p>Throw {@link SeldonComponentException} for bad input (HTTP 400, {@code MICROSERVICE_BAD_DATA});
 * any other exception is answered with HTTP 500 {@code MICROSERVICE_INTERNAL_ERROR}. The runner copies
 * the request's {@code meta.puid}, merges tags, adds {@code requestPath} and records custom metrics, so
 * a method only builds the payload (see {@link Payloads}).
 */
public interface SeldonComponent {

    /** A model's prediction. The default answers an empty payload, as the Python wrapper does. */
    default SeldonMessage predict(SeldonMessage request) {
        return SeldonMessage.newBuilder().setData(Payloads.emptyLike(request)).build();
    }

    /** A router's choice of child: a message whose payload is {@code [[n]]} (see {@link Payloads#route}). */
    default SeldonMessage route(SeldonMessage request) {
        throw new UnsupportedOperationException("route is not implemented by this component");
    }

    /** Feedback for a past prediction; the default accepts it and answers an empty payload. */
    default SeldonMessage sendFeedback(Feedback feedback) {
        return SeldonMessage.newBuilder()
                .setData(Payloads.emptyLike(feedback.getRequest()))
                .build();
    }

    /** A transformer's rewrite of the input; the default passes it through ({@link Payloads#passThrough}). */
    default SeldonMessage transformInput(SeldonMessage request) {
        return Payloads.passThrough(request);
    }

    /** An output transformer's rewrite of the output; the default passes it through ({@link Payloads#passThrough}). */
    default SeldonMessage transformOutput(SeldonMessage request) {
        return Payloads.passThrough(request);
    }

    /** A combiner's merge of its children's outputs. */
    default SeldonMessage aggregate(SeldonMessageList request) {
        throw new UnsupportedOperationException("aggregate is not implemented by this component");
    }

    /** The body of {@code /health/status}; throw to report the component unhealthy. */
    default SeldonMessage healthStatus() {
        return SeldonMessage.newBuilder().setStrData("healthy").build();
    }

    /** Model metadata for {@code /metadata}; {@code null} keeps the default built from the image name. */
    default SeldonModelMetadata metadata() {
        return null;
    }

    /** Custom metrics recorded after every call (COUNTER adds, GAUGE sets, TIMER is milliseconds). */
    default List<Metric> metrics() {
        return List.of();
    }

    /** Tags merged into every response's {@code meta.tags}. */
    default Map<String, Value> tags() {
        return Map.of();
    }
}
