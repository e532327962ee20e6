package dev.seldonj.engine.payloadlog;

/** The kinds of payload log event, with Seldon's CloudEvents types. */
public enum LogType {
    REQUEST("io.seldon.serving.inference.request", "request"),
    RESPONSE("io.seldon.serving.inference.response", "response"),
    FEEDBACK("io.seldon.serving.feedback", "feedback");

    /** The {@code ce-type} attribute. */
    public final String ceType;
    /** The {@code type} label of the logger metrics. */
    public final String label;

    LogType(String ceType, String label) {
        this.ceType = ceType;
        this.label = label;
    }

    static String[] labels() {
        LogType[] all = values();
        String[] out = new String[all.length];
        for (LogType t : all) {
            out[t.ordinal()] = t.label;
        }
        return out;
    }
}
