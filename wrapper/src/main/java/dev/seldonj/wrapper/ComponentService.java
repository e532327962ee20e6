package dev.seldonj.wrapper;

import com.google.protobuf.Value;
import io.seldon.protos.PredictionProtos.Feedback;
import io.seldon.protos.PredictionProtos.Meta;
import io.seldon.protos.PredictionProtos.Metric;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.PredictionProtos.SeldonMessageList;
import io.seldon.protos.PredictionProtos.SeldonModelMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the component and finishes its answer as the Python wrapper's {@code construct_response} does;
 * the REST and gRPC adapters share it. Every failure leaves here as a {@link SeldonComponentException}
 * carrying the HTTP status and Seldon reason to answer with.
 */
public final class ComponentService {

    private static final Logger LOG = LoggerFactory.getLogger(ComponentService.class);

    private final SeldonComponent component;
    private final WrapperConfig config;
    private final CustomMetrics metrics;
    private final SeldonModelMetadata metadata;

    public ComponentService(SeldonComponent component, WrapperConfig config, CustomMetrics metrics) {
        this.component = component;
        this.config = config;
        this.metrics = metrics;
        SeldonModelMetadata own = component.metadata();
        this.metadata = own != null
                ? own
                : SeldonModelMetadata.newBuilder()
                        .setName(config.imageName())
                        .addVersions(config.imageVersion())
                        .build();
    }

    public SeldonMessage predict(SeldonMessage request) {
        return finish(request, request.getMeta(), call("predict", () -> component.predict(request)), "predict");
    }

    public SeldonMessage transformInput(SeldonMessage request) {
        return finish(
                request,
                request.getMeta(),
                call("transform-input", () -> component.transformInput(request)),
                "inputtransform");
    }

    public SeldonMessage transformOutput(SeldonMessage request) {
        return finish(
                request,
                request.getMeta(),
                call("transform-output", () -> component.transformOutput(request)),
                "outputtransform");
    }

    /** The request's tags are not carried into a routing answer, as in the Python wrapper. */
    public SeldonMessage route(SeldonMessage request) {
        return finish(request, Meta.getDefaultInstance(), call("route", () -> component.route(request)), "router");
    }

    /** Merges the children's tags, request paths and metrics into the combined answer. */
    public SeldonMessage aggregate(SeldonMessageList request) {
        if (request.getSeldonMessagesCount() == 0) {
            throw new SeldonComponentException("aggregate needs at least one message, got none");
        }
        Meta.Builder merged = Meta.newBuilder();
        for (SeldonMessage m : request.getSeldonMessagesList()) {
            merged.putAllTags(m.getMeta().getTagsMap())
                    .putAllRequestPath(m.getMeta().getRequestPathMap())
                    .addAllMetrics(m.getMeta().getMetricsList());
        }
        SeldonMessage first = request.getSeldonMessages(0);
        return finish(first, merged.build(), call("aggregate", () -> component.aggregate(request)), "aggregate");
    }

    public SeldonMessage sendFeedback(Feedback feedback) {
        metrics.recordReward(feedback.getReward());
        return finish(
                feedback.getRequest(),
                Meta.getDefaultInstance(),
                call("send-feedback", () -> component.sendFeedback(feedback)),
                "feedback");
    }

    public SeldonMessage healthStatus() {
        return finish(
                SeldonMessage.getDefaultInstance(),
                Meta.getDefaultInstance(),
                call("health", component::healthStatus),
                "health");
    }

    public SeldonModelMetadata metadata() {
        return metadata;
    }

    private SeldonMessage call(String method, Supplier<SeldonMessage> body) {
        SeldonMessage answer;
        try {
            answer = body.get();
        } catch (SeldonComponentException e) {
            throw e;
        } catch (UnsupportedOperationException e) {
            LOG.warn("{}: {}", method, e.getMessage()); // a method the component does not have: no stack trace needed
            throw new SeldonComponentException(
                    String.valueOf(e.getMessage()), 500, SeldonComponentException.INTERNAL_ERROR);
        } catch (RuntimeException | Error e) {
            LOG.error("{} failed", method, e);
            String message =
                    e.getMessage() != null ? e.getMessage() : e.getClass().getName();
            throw new SeldonComponentException(message, 500, SeldonComponentException.INTERNAL_ERROR);
        }
        if (answer == null) {
            throw new SeldonComponentException(
                    method + " returned no message", 500, SeldonComponentException.INTERNAL_ERROR);
        }
        return answer;
    }

    /**
     * Python's {@code construct_response}: the request's puid, tags (then the component's {@code tags()},
     * then tags the answer set itself), request path with this unit's {@code {id: image}}, and custom
     * metrics, which are recorded and kept in the answer only when {@code INCLUDE_METRICS_IN_CLIENT_RESPONSE}.
     */
    private SeldonMessage finish(SeldonMessage request, Meta requestMeta, SeldonMessage answer, String metricMethod) {
        List<Metric> custom = new ArrayList<>(component.metrics());
        custom.addAll(answer.getMeta().getMetricsList());
        metrics.record(custom, metricMethod);

        Map<String, Value> tags = new LinkedHashMap<>(requestMeta.getTagsMap());
        tags.putAll(component.tags());
        tags.putAll(answer.getMeta().getTagsMap());

        Meta.Builder meta = answer.getMeta().toBuilder()
                .clearTags()
                .clearMetrics()
                .clearRequestPath()
                .clearPuid()
                .putAllTags(tags)
                .addAllMetrics(requestMeta.getMetricsList());
        if (config.includeMetricsInResponse()) {
            meta.addAllMetrics(custom);
        }
        if (!config.unitId().isEmpty()) {
            meta.putRequestPath(config.unitId(), config.unitImage());
        }
        meta.putAllRequestPath(requestMeta.getRequestPathMap());
        if (!request.getMeta().getPuid().isEmpty()) {
            meta.setPuid(request.getMeta().getPuid());
        }
        return answer.toBuilder().setMeta(meta).build();
    }
}
