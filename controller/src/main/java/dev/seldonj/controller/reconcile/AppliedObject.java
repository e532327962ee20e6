package dev.seldonj.controller.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The body of a server-side apply for a desired object, and the test whether a live object already is
 * that body.
 *
 * <p>The body carries only what the controller means to own: apiVersion and kind, name, namespace,
 * labels, annotations, owner references and spec; never status, uid, resourceVersion or
 * managedFields (an apply must not claim them, and a stale resourceVersion would turn the apply into
 * a conflicting update).
 *
 * <p>It also carries, in the annotation {@value #HASH_ANNOTATION}, a hash of itself without that
 * annotation. "Every desired field has its value in the live object" ({@link Subset}) cannot see a
 * field that the controller no longer applies (a label removed from the SeldonDeployment), which
 * server-side apply would remove: with the hash in the body, such a body differs from the live
 * object in one field, the hash, so it is sent. One test then covers both directions, costs no extra
 * request and needs no reading of managedFields (whose list keys a client would have to know per type
 * to compare). A hand edit of an owned field is still seen by the subset test.
 */
final class AppliedObject {

    static final String HASH_ANNOTATION = "seldonj.dev/applied-hash";

    private static final ObjectMapper MAPPER = Serialization.jsonMapper();
    private static final List<String> SERVER_METADATA = List.of(
            "uid",
            "resourceVersion",
            "managedFields",
            "creationTimestamp",
            "generation",
            "selfLink",
            "deletionTimestamp",
            "deletionGracePeriodSeconds");

    private AppliedObject() {}

    /** The apply body for {@code desired}: a copy without server-owned fields, with the hash annotation. */
    @SuppressWarnings("unchecked")
    static <T extends HasMetadata> T body(T desired) {
        if (desired.getApiVersion() == null || desired.getKind() == null) {
            throw new IllegalArgumentException("an applied object needs apiVersion and kind: "
                    + desired.getMetadata().getName());
        }
        ObjectNode tree = MAPPER.valueToTree(desired);
        tree.remove("status");
        tree.put("apiVersion", desired.getApiVersion());
        tree.put("kind", desired.getKind());
        ObjectNode metadata = child(tree, "metadata");
        metadata.remove(SERVER_METADATA);
        ObjectNode annotations = child(metadata, "annotations");
        annotations.remove(HASH_ANNOTATION);
        if (annotations.isEmpty()) {
            metadata.remove("annotations");
        }
        String hash = hash(tree);
        child(metadata, "annotations").put(HASH_ANNOTATION, hash);
        return (T) MAPPER.convertValue(tree, desired.getClass());
    }

    /**
     * Whether applying {@code body} would change nothing the controller owns: every field of it, the
     * hash annotation included, already has its value in {@code live}.
     */
    static boolean upToDate(HasMetadata live, HasMetadata body) {
        return Subset.contains(MAPPER.valueToTree(live), MAPPER.valueToTree(body));
    }

    private static ObjectNode child(ObjectNode parent, String name) {
        JsonNode existing = parent.get(name);
        return existing instanceof ObjectNode object ? object : parent.putObject(name);
    }

    /** 128 bits of SHA-256 over the body with object keys sorted, so map order never changes it. */
    private static String hash(JsonNode body) {
        try {
            byte[] canonical = MAPPER.writeValueAsBytes(sorted(body));
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical);
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object sorted(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> fields = new TreeMap<>();
            node.fields().forEachRemaining(f -> fields.put(f.getKey(), sorted(f.getValue())));
            return fields;
        }
        if (node.isArray()) {
            List<Object> items = new ArrayList<>();
            node.forEach(item -> items.add(sorted(item)));
            return items;
        }
        return node;
    }
}
