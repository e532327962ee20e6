package dev.seldonj.controller.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * fabric8's CRUD mock API server, taught to accept server-side apply as far as a mock honestly can:
 * an apply PATCH ({@code application/apply-patch+yaml}, which the stock mock refuses with 415, or
 * 404 for an absent object) creates the object when it is absent and is otherwise merged over it as
 * an RFC 7386 JSON merge patch (maps merge, lists are replaced whole). That is not server-side apply: no field ownership, no managedFields, no removal
 * of fields the manager stopped applying, no conflicts. What only a real API server can judge is
 * listed in docs/cluster.md (the real-cluster tier); here, every apply is recorded so tests can check what
 * the controller sends.
 */
public final class ApplyingCrudDispatcher extends KubernetesCrudDispatcher {

    /** One apply request as received. */
    public record Apply(String path, String body) {}

    private final List<Apply> applies = new CopyOnWriteArrayList<>();

    public List<Apply> applies() {
        return List.copyOf(applies);
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
        String contentType = request.getHeader("Content-Type");
        if (contentType == null || !contentType.startsWith("application/apply-patch")) {
            return super.handlePatch(request);
        }
        String path = request.getPath();
        String body = request.getBody().readUtf8();
        applies.add(new Apply(path, body));
        String resourcePath = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        if (findResource(getKey(resourcePath)) == null) {
            String collection = resourcePath.substring(0, resourcePath.lastIndexOf('/'));
            return handleCreate(new RecordedRequest(
                    "HTTP/1.1",
                    HttpMethod.POST,
                    collection,
                    request.getHeaders()
                            .newBuilder()
                            .set("Content-Type", "application/json")
                            .build(),
                    new Buffer().writeUtf8(body)));
        }
        // The mock's own merge patch appends to lists (Jackson's readerForUpdating), so the merge is done
        // here and stored as an update.
        Map.Entry<AttributeSet, String> current = findResource(getKey(resourcePath));
        JsonNode merged = mergePatch(
                Serialization.unmarshal(current.getValue(), JsonNode.class),
                Serialization.unmarshal(body, JsonNode.class));
        return handleUpdate(new RecordedRequest(
                "HTTP/1.1",
                HttpMethod.PUT,
                resourcePath,
                request.getHeaders()
                        .newBuilder()
                        .set("Content-Type", "application/json")
                        .build(),
                new Buffer().writeUtf8(Serialization.asJson(merged))));
    }

    /** RFC 7386: objects merge key by key, null removes a key, anything else (lists too) replaces. */
    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject()
                ? ((ObjectNode) target).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        patch.fields().forEachRemaining(field -> {
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
            }
        });
        return result;
    }
}
