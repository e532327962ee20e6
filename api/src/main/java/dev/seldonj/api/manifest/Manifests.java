package dev.seldonj.api.manifest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seldonj.api.mapping.ManifestMapper;
import dev.seldonj.api.model.SeldonDeployment;
import dev.seldonj.api.validation.InvalidManifestException;
import dev.seldonj.api.validation.Problem;
import dev.seldonj.api.validation.SeldonDeploymentValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading SeldonDeployments from YAML or JSON text, in any of the served apiVersions (they share one
 * schema), and writing them back.
 */
public final class Manifests {

    private static final ObjectMapper MAPPER = ManifestMapper.mapper();

    private Manifests() {}

    /** The mapper used for SeldonDeployment YAML and JSON ({@link ManifestMapper}). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** The non-empty documents of a YAML (or JSON) text; a syntax error names its line and column. */
    public static List<JsonNode> documents(String text, String source) {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = MAPPER.readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNextValue()) {
                JsonNode doc = it.nextValue();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
        } catch (JsonProcessingException e) {
            throw new InvalidManifestException(
                    source, List.of(Problem.error(where(e.getLocation()), e.getOriginalMessage())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    /** The one valid SeldonDeployment in a text; throws with every problem otherwise. */
    public static SeldonDeployment read(String text, String source, SeldonDeploymentValidator validator) {
        return readResult(text, source, validator).orThrow(source);
    }

    /** The validation result of the one SeldonDeployment in a text, warnings included. */
    public static SeldonDeploymentValidator.Result readResult(
            String text, String source, SeldonDeploymentValidator validator) {
        List<JsonNode> all = documents(text, source);
        List<JsonNode> sdeps = new ArrayList<>();
        for (JsonNode doc : all) {
            if (SeldonDeployment.KIND.equals(doc.path("kind").asText())) {
                sdeps.add(doc);
            }
        }
        if (sdeps.size() != 1) {
            if (sdeps.isEmpty() && all.size() == 1) {
                return validator.validate(all.get(0)); // reports the wrong kind or apiVersion with its path
            }
            throw new InvalidManifestException(
                    source,
                    List.of(Problem.error(
                            "",
                            "expected one SeldonDeployment, found " + sdeps.size() + " among " + all.size()
                                    + " documents")));
        }
        return validator.validate(sdeps.get(0));
    }

    /** Reads a file; see {@link #read(String, String, SeldonDeploymentValidator)}. */
    public static SeldonDeployment read(Path file, SeldonDeploymentValidator validator) {
        return read(readFile(file), file.toString(), validator);
    }

    public static String readFile(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidManifestException(
                    file.toString(), List.of(Problem.error("", "cannot read: " + e.getMessage())));
        }
    }

    /** Binds a document already checked against the schema. */
    public static SeldonDeployment bind(JsonNode document) {
        return ManifestMapper.bind(document);
    }

    public static JsonNode toTree(Object value) {
        return ManifestMapper.toTree(value);
    }

    public static String toYaml(Object value) {
        return ManifestMapper.toYaml(value);
    }

    private static String where(JsonLocation location) {
        return location == null ? "" : "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
