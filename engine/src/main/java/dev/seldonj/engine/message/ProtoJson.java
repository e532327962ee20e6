package dev.seldonj.engine.message;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import dev.seldonj.api.protocol.SeldonJson;
import dev.seldonj.api.protocol.SeldonJsonException;
import dev.seldonj.engine.core.EngineException;
import io.seldon.protos.PredictionProtos.Feedback;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import java.nio.charset.StandardCharsets;

/**
 * JSON <-> protobuf for Seldon messages, used only where a message crosses between a REST and a gRPC
 * leg: the shared {@link SeldonJson} codec for messages and feedback (its faults name their JSON path),
 * protobuf's {@link JsonFormat} for the other documents (metadata, meta) and for writing.
 */
public final class ProtoJson {

    private static final JsonFormat.Parser PARSER = JsonFormat.parser().usingTypeRegistry(SeldonJson.WELL_KNOWN_TYPES);
    private static final JsonFormat.Parser LENIENT =
            JsonFormat.parser().usingTypeRegistry(SeldonJson.WELL_KNOWN_TYPES).ignoringUnknownFields();
    private static final JsonFormat.Printer PRINTER =
            JsonFormat.printer().usingTypeRegistry(SeldonJson.WELL_KNOWN_TYPES).omittingInsignificantWhitespace();

    private ProtoJson() {}

    public static SeldonMessage message(byte[] json, String what) {
        try {
            return SeldonJson.parseMessage(json);
        } catch (SeldonJsonException e) {
            throw EngineException.badRequest(what + " is not a valid SeldonMessage: " + e.getMessage());
        }
    }

    public static Feedback feedback(byte[] json, String what) {
        try {
            return SeldonJson.parseFeedback(json);
        } catch (SeldonJsonException e) {
            throw EngineException.badRequest(what + " is not a valid Feedback: " + e.getMessage());
        }
    }

    public static void merge(byte[] json, Message.Builder builder, String what) {
        try {
            PARSER.merge(new String(json, StandardCharsets.UTF_8), builder);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw EngineException.badRequest(
                    what + " is not a valid " + builder.getDescriptorForType().getName() + ": " + e.getMessage());
        }
    }

    /** For documents (metadata) where components may add fields the protos do not know. */
    public static void mergeLenient(byte[] json, Message.Builder builder, String what) {
        try {
            LENIENT.merge(new String(json, StandardCharsets.UTF_8), builder);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new EngineException(
                    EngineException.Kind.INVALID_RESPONSE,
                    what + " is not a valid " + builder.getDescriptorForType().getName() + ": " + e.getMessage());
        }
    }

    public static byte[] json(MessageOrBuilder message) {
        try {
            return PRINTER.print(message).getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            throw new EngineException(EngineException.Kind.INTERNAL, "cannot write JSON: " + e.getMessage());
        }
    }
}
