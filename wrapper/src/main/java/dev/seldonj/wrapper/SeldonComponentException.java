package dev.seldonj.wrapper;

/**
 * A failure the component reports on purpose, answered like the Python wrapper's
 * {@code SeldonMicroserviceException}: by default HTTP 400 with reason {@code MICROSERVICE_BAD_DATA}.
 */
public class SeldonComponentException extends RuntimeException {

    public static final String BAD_DATA = "MICROSERVICE_BAD_DATA";
    public static final String INTERNAL_ERROR = "MICROSERVICE_INTERNAL_ERROR";

    private final int httpStatus;
    private final String reason;

    /** Bad input: HTTP 400, reason {@code MICROSERVICE_BAD_DATA}. */
    public SeldonComponentException(String message) {
        this(message, 400, BAD_DATA);
    }

    public SeldonComponentException(String message, int httpStatus, String reason) {
        super(message);
        this.httpStatus = httpStatus;
        this.reason = reason;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String reason() {
        return reason;
    }
}
