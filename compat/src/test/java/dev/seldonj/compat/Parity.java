package dev.seldonj.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import dev.seldonj.api.protocol.SeldonJson;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.assertj.core.api.SoftAssertions;

/**
 * Wrapper-to-wrapper comparisons. Every difference of one test is collected (soft assertions) so that a
 * failing test lists them all, each with the request and both answers (Seldon's is the expected value).
 */
final class Parity {

    private Parity() {}

    /**
     * Sends every request to both wrappers and asserts that ours answers with Seldon's status, Content-Type
     * and body bytes. {@code seldonStatus} is what Seldon's wrapper must answer (proof that the case
     * exercises what it claims; a wrong value here is a mistake in the test, not a difference).
     */
    static void rest(SoftAssertions softly, WrapperTwins twins, int seldonStatus, List<RawHttp.Request> requests) {
        for (RawHttp.Request r : requests) {
            RawHttp.Answer seldon = RawHttp.send(twins.seldon.httpEndpoint(), r);
            assertThat(seldon.status())
                    .as("Seldon's wrapper on %s (the test's own expectation): %s", r, seldon)
                    .isEqualTo(seldonStatus);
            RawHttp.Answer ours = RawHttp.send(twins.ours.httpEndpoint(), r);
            softly.assertThat(ours.toString())
                    .as("%s\n  Seldon: %s\n  ours:   %s\n", r, seldon, ours)
                    .isEqualTo(seldon.toString());
        }
    }

    static void rest(SoftAssertions softly, WrapperTwins twins, int seldonStatus, RawHttp.Request... requests) {
        rest(softly, twins, seldonStatus, List.of(requests));
    }

    /** The outcome of one gRPC call: the answer, or the status code and description of the error. */
    record GrpcOutcome(Message message, Status.Code code, String description) {
        @Override
        public String toString() {
            if (message == null) {
                return "status " + code + ": " + description;
            }
            String text;
            try {
                text = SeldonJson.print(message);
            } catch (IllegalArgumentException e) { // JSON has no infinity or NaN
                text = TextFormat.shortDebugString(message);
            }
            return message.getDescriptorForType().getName() + " " + text;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof GrpcOutcome g
                    && Objects.equals(message, g.message)
                    && code == g.code
                    && Objects.equals(description, g.description);
        }

        @Override
        public int hashCode() {
            return Objects.hash(message, code, description);
        }

        boolean failed() {
            return message == null;
        }
    }

    /**
     * gRPC answers where ours differs on purpose (docs/python-wrapper.md): a router answering {@code True}
     * (Seldon's wrapper sends {@code [[true]]}, which no engine can route by; ours refuses it), and an empty
     * message list to aggregate (Seldon's wrapper fails indexing it; ours says what is missing).
     */
    static boolean intended(GrpcOutcome seldon, GrpcOutcome ours) {
        if (!ours.failed()) {
            return false;
        }
        boolean trueRoute = !seldon.failed()
                && seldon.toString().contains("\"ndarray\":[[true]]")
                && ours.code() == Status.Code.INVALID_ARGUMENT
                && ours.description().equals("Routing response must be int but got True");
        boolean emptyAggregate = seldon.failed()
                && ours.code() == Status.Code.INVALID_ARGUMENT
                && ours.description().equals("aggregate needs at least one message in seldonMessages");
        return trueRoute || emptyAggregate;
    }

    static <S> GrpcOutcome call(S stub, Function<S, ? extends Message> method) {
        try {
            return new GrpcOutcome(method.apply(stub), null, null);
        } catch (StatusRuntimeException e) {
            return new GrpcOutcome(null, e.getStatus().getCode(), e.getStatus().getDescription());
        }
    }

    /** What Python's gRPC server puts before the message of an exception a servicer did not handle. */
    static final String UNCAUGHT = "Exception calling application: ";

    /**
     * Calls {@code method} on both wrappers' stubs (made from each channel by {@code stubs}) and records in
     * {@code softly} any difference. Answers must be equal messages. An error must be an error in both.
     *
     * <p>Seldon's wrapper has no gRPC error handling: every error, bad data or a user's exception, is an
     * exception the servicer does not catch, which Python's gRPC server logs with its stack trace and answers
     * {@code UNKNOWN} with {@code "Exception calling application: " + str(exception)} (an empty text for
     * Seldon's own exceptions, whose {@code str} is empty). That is a crash, so ours may answer cleanly
     * instead: any of {@code UNKNOWN}, {@code INVALID_ARGUMENT}, {@code INTERNAL} or {@code UNIMPLEMENTED},
     * with a description that is not empty and contains the exception's message when Seldon's carries one
     * (other than a bug of Seldon's own error path, such as its {@code "can only concatenate str"}).
     * Returns Seldon's outcome.
     */
    static <S> GrpcOutcome grpc(
            SoftAssertions softly,
            WrapperTwins twins,
            String label,
            Function<Channel, S> stubs,
            Function<S, ? extends Message> method) {
        GrpcOutcome seldon = call(stubs.apply(twins.seldonChannel), method);
        GrpcOutcome ours = call(stubs.apply(twins.oursChannel), method);
        String both = String.format("%s\n  Seldon: %s\n  ours:   %s\n", label, seldon, ours);
        if (intended(seldon, ours)) {
            return seldon;
        }
        if (seldon.failed() != ours.failed()) {
            softly.fail(both);
        } else if (seldon.failed()
                && seldon.code() == Status.Code.UNKNOWN
                && seldon.description() != null
                && seldon.description().startsWith(UNCAUGHT)) {
            softly.assertThat(ours.code())
                    .as("%s status code (a clean error)", both)
                    .isIn(
                            Status.Code.UNKNOWN,
                            Status.Code.INVALID_ARGUMENT,
                            Status.Code.INTERNAL,
                            Status.Code.UNIMPLEMENTED);
            softly.assertThat(ours.description())
                    .as("%s status description (not empty)", both)
                    .isNotBlank();
            String message = seldon.description().substring(UNCAUGHT.length());
            if (!message.isEmpty() && !message.startsWith("can only concatenate str")) {
                softly.assertThat(ours.description())
                        .as("%s status description (the exception's message)", both)
                        .contains(message);
            }
        } else if (seldon.failed()) {
            softly.assertThat(ours.code()).as("%s status code", both).isEqualTo(seldon.code());
            softly.assertThat(ours.description())
                    .as("%s status description", both)
                    .isEqualTo(seldon.description());
        } else {
            softly.assertThat(ours).as(both).isEqualTo(seldon);
        }
        return seldon;
    }

    /**
     * A case where ours answers on purpose unlike Seldon's wrapper (docs/python-wrapper.md, "Where it differs
     * from Seldon's wrapper, on purpose"): Seldon's status is checked (the case is what it claims to be) and
     * ours must be the clean answer: {@code oursStatus} with Seldon's error shape, whose info contains
     * {@code oursInfo}.
     */
    static void cleanerError(
            SoftAssertions softly,
            WrapperTwins twins,
            int seldonStatus,
            int oursStatus,
            String oursInfo,
            RawHttp.Request... requests) {
        for (RawHttp.Request r : requests) {
            RawHttp.Answer seldon = RawHttp.send(twins.seldon.httpEndpoint(), r);
            assertThat(seldon.status())
                    .as("Seldon's wrapper on %s (the test's own expectation): %s", r, seldon)
                    .isEqualTo(seldonStatus);
            RawHttp.Answer ours = RawHttp.send(twins.ours.httpEndpoint(), r);
            String both = String.format("%s\n  Seldon: %s\n  ours:   %s\n", r, seldon, ours);
            softly.assertThat(ours.status()).as(both).isEqualTo(oursStatus);
            softly.assertThat(ours.contentType()).as(both).isEqualTo("application/json");
            JsonNode status = readJson(ours).path("status");
            softly.assertThat(status.path("code").asInt()).as(both).isEqualTo(-1);
            softly.assertThat(status.path("status").asInt()).as(both).isEqualTo(1);
            softly.assertThat(status.path("reason").asText())
                    .as(both)
                    .isEqualTo(oursStatus < 500 ? "MICROSERVICE_BAD_DATA" : "MICROSERVICE_INTERNAL_ERROR");
            softly.assertThat(status.path("info").asText()).as(both).contains(oursInfo);
        }
    }

    /** The gRPC counterpart: ours fails with {@code code} and a description containing {@code fragment}. */
    static <S> void grpcCleanerError(
            SoftAssertions softly,
            WrapperTwins twins,
            String label,
            Function<Channel, S> stubs,
            Function<S, ? extends Message> method,
            Status.Code code,
            String fragment) {
        GrpcOutcome seldon = call(stubs.apply(twins.seldonChannel), method);
        GrpcOutcome ours = call(stubs.apply(twins.oursChannel), method);
        String both = String.format("%s\n  Seldon: %s\n  ours:   %s\n", label, seldon, ours);
        softly.assertThat(ours.failed()).as(both).isTrue();
        softly.assertThat(ours.code()).as(both).isEqualTo(code);
        softly.assertThat(ours.description()).as(both).contains(fragment);
    }

    private static JsonNode readJson(RawHttp.Answer answer) {
        try {
            return new ObjectMapper().readTree(answer.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + answer, e);
        }
    }
}
