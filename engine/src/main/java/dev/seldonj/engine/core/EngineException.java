package dev.seldonj.engine.core;

import io.grpc.Status;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * A failed request, with the HTTP status the client gets. {@link #passthroughBody()} is set when a
 * component answered non-2xx: its status and body go to the client unchanged (as Seldon's executor).
 */
public class EngineException extends RuntimeException {

    private static final RateLimitedWarning INTERNAL_ERRORS = new RateLimitedWarning(
            LoggerFactory.getLogger(EngineException.class), 10, TimeUnit.SECONDS, System::nanoTime);

    /** Why a request failed; decides the HTTP status and the gRPC code. */
    public enum Kind {
        BAD_REQUEST(400, "ENGINE_INVALID_JSON"),
        NOT_FOUND(404, "NOT_FOUND"),
        COMPONENT_ERROR(500, "MICROSERVICE_ERROR"),
        INVALID_RESPONSE(500, "ENGINE_INVALID_RESPONSE_JSON"),
        INVALID_ROUTING(500, "INVALID_ROUTING"),
        UNAVAILABLE(503, "MICROSERVICE_UNAVAILABLE"),
        /** The engine's memory budget for bodies is spent ({@link MemoryBudget}): 503 with Retry-After, RESOURCE_EXHAUSTED. */
        OVERLOADED(503, "ENGINE_OVERLOADED"),
        TIMEOUT(504, "MICROSERVICE_TIMEOUT"),
        UNSUPPORTED(501, "NOT_IMPLEMENTED"),
        INTERNAL(500, "EXECUTION_FAILURE");

        public final int httpStatus;
        public final String reason;

        Kind(int httpStatus, String reason) {
            this.httpStatus = httpStatus;
            this.reason = reason;
        }
    }

    private final Kind kind;
    private final int httpStatus;
    private final byte[] passthroughBody;
    private final String passthroughContentType;
    private final Status grpcStatus;

    public EngineException(Kind kind, String message) {
        this(kind, kind.httpStatus, message, null, null, null);
    }

    private EngineException(
            Kind kind, int httpStatus, String message, byte[] body, String contentType, Status grpcStatus) {
        super(message, null, false, false);
        this.kind = kind;
        this.httpStatus = httpStatus;
        this.passthroughBody = body;
        this.passthroughContentType = contentType;
        this.grpcStatus = grpcStatus;
    }

    public static EngineException badRequest(String message) {
        return new EngineException(Kind.BAD_REQUEST, message);
    }

    /**
     * A REST component's non-2xx answer, passed through unchanged to REST clients; a gRPC client gets the
     * component's own message (its body's {@code status.info} or {@code error}) with the status mapped from the code.
     */
    public static EngineException componentStatus(String node, int status, byte[] body, String contentType) {
        String text = ComponentErrorText.of(body);
        return new EngineException(
                Kind.COMPONENT_ERROR,
                status,
                "node '" + node + "' answered HTTP " + status + (text.isEmpty() ? "" : ": " + text),
                body,
                contentType,
                null);
    }

    /** A gRPC component's error status, passed through with its code. */
    public static EngineException componentGrpcStatus(String node, Status status) {
        Kind kind = switch (status.getCode()) {
            case UNAVAILABLE -> Kind.UNAVAILABLE;
            case DEADLINE_EXCEEDED -> Kind.TIMEOUT;
            default -> Kind.COMPONENT_ERROR;
        };
        String description = status.getDescription() == null ? status.getCode().name() : status.getDescription();
        String message = switch (kind) {
            case UNAVAILABLE -> "node '" + node + "' is unavailable: " + description;
            case TIMEOUT -> "node '" + node + "' timed out: " + description;
            default -> "node '" + node + "' failed: " + status.getCode() + " " + description;
        };
        return new EngineException(
                kind,
                kind == Kind.COMPONENT_ERROR ? GrpcHttpCodes.httpStatus(status.getCode()) : kind.httpStatus,
                message,
                null,
                null,
                status.withDescription(message));
    }

    public Kind kind() {
        return kind;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public byte[] passthroughBody() {
        return passthroughBody;
    }

    public String passthroughContentType() {
        return passthroughContentType;
    }

    /** The gRPC status a gRPC client gets. */
    public Status grpcStatus() {
        if (grpcStatus != null) {
            return grpcStatus;
        }
        if (kind == Kind.OVERLOADED) {
            return Status.RESOURCE_EXHAUSTED.withDescription(getMessage());
        }
        return GrpcHttpCodes.grpcCode(httpStatus).toStatus().withDescription(getMessage());
    }

    /** Any failure as an EngineException; unexpected ones become INTERNAL without leaking a stack trace. */
    public static EngineException of(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof EngineException e) {
            return e;
        }
        Throwable failure = cause;
        if (cause instanceof OutOfMemoryError) {
            // Direct or heap memory ran out despite the budget: the client may retry; the figures stay in the log.
            INTERNAL_ERRORS.warn(() -> "memory ran out while serving a request: " + failure);
            return MemoryBudget.overloaded();
        }
        INTERNAL_ERRORS.warn(() -> "a request failed with an unexpected error: " + failure);
        return new EngineException(Kind.INTERNAL, "internal error");
    }
}
