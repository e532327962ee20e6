package dev.seldonj.engine.core;

/** A call the engine makes on a node, with its REST path on Seldon's internal API. */
public enum Step {
    PREDICT("/predict", "predict"),
    TRANSFORM_INPUT("/transform-input", "transform-input"),
    TRANSFORM_OUTPUT("/transform-output", "transform-output"),
    ROUTE("/route", "route"),
    AGGREGATE("/aggregate", "aggregate"),
    SEND_FEEDBACK("/send-feedback", "send-feedback");

    public final String restPath;
    /** The {@code method} label of the client metrics. */
    public final String metricName;

    Step(String restPath, String metricName) {
        this.restPath = restPath;
        this.metricName = metricName;
    }
}
