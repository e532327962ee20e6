package dev.seldonj.api.protocol;

/** A request or response body that is not a valid Seldon protocol message; names the JSON path at fault. */
public class SeldonJsonException extends IllegalArgumentException {

    private final String path;
    private final String reason;

    public SeldonJsonException(String path, String reason) {
        super(path == null || path.isEmpty() ? reason : path + ": " + reason);
        this.path = path == null ? "" : path;
        this.reason = reason;
    }

    /** Where the fault is, e.g. {@code data.tensor.values[2]}; empty for the whole body. */
    public String path() {
        return path;
    }

    /** What is wrong there. */
    public String reason() {
        return reason;
    }
}
