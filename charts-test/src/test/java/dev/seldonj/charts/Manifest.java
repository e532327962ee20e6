package dev.seldonj.charts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seldonj.api.manifest.Manifests;
import java.util.List;
import java.util.Optional;

/** The objects of one rendering, as JSON trees, with look-ups by kind and name. */
record Manifest(String source, List<JsonNode> objects) {

    static Manifest parse(String yaml, String source) {
        return new Manifest(source, Manifests.documents(yaml, source));
    }

    List<JsonNode> ofKind(String kind) {
        return objects.stream()
                .filter(o -> kind.equals(o.path("kind").asText()))
                .toList();
    }

    Optional<JsonNode> find(String kind, String name) {
        return ofKind(kind).stream()
                .filter(o -> name.equals(o.path("metadata").path("name").asText()))
                .findFirst();
    }

    JsonNode get(String kind, String name) {
        return find(kind, name)
                .orElseThrow(() -> new AssertionError(
                        "no " + kind + " " + name + " in " + source + "; rendered: " + identities()));
    }

    /** The only object of a kind. */
    JsonNode only(String kind) {
        List<JsonNode> found = ofKind(kind);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + " in " + source + ", found " + found.size());
        }
        return found.get(0);
    }

    /** kind/namespace/name of every object: what must be unique in a cluster. */
    List<String> identities() {
        return objects.stream().map(Manifest::identity).toList();
    }

    static String identity(JsonNode object) {
        JsonNode metadata = object.path("metadata");
        return object.path("kind").asText() + "/" + metadata.path("namespace").asText("") + "/"
                + metadata.path("name").asText();
    }
}
