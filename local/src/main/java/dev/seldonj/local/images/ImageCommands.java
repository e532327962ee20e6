package dev.seldonj.local.images;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.seldonj.local.errors.RunnerException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The image -> local command map: built-in entries for this project's images (resolved against the
 * repository's build outputs) and, winning over them, a user's mapping file:
 *
 * <pre>
 * my/model:1.0: {command: [seldon-core-microservice, MyModel], workingDir: ./model, env: {A: b}}
 * my/py:1.0:    {command: ["${python-wrapper}", MyModel], workingDir: ./py}   # the project's own wrapper
 * my/other:     {command: [python, serve.py]}          # no tag: every tag
 * my/server:    {command: [python, serve.py], entrypoint: [/usr/bin/serve]}
 * </pre>
 *
 * <p>{@code entrypoint} (optional) is the image's real ENTRYPOINT: the node agent runs {@code command} for a
 * pod whose container names exactly that entrypoint as its {@code command} (or names none).
 */
public final class ImageCommands {

    private static final String BUILTIN = "/dev/seldonj/local/builtin-images.yaml";
    /** This project's Python wrapper ({@code make wrapper-venv}), for entries that run Python models. */
    public static final String PYTHON_WRAPPER = "${python-wrapper}";

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** One entry of a mapping file. */
    @JsonIgnoreProperties(ignoreUnknown = false)
    record Entry(
            List<String> command,
            String workingDir,
            Map<String, String> env,
            List<String> requires,
            String build,
            List<String> entrypoint) {}

    private final Map<String, Entry> builtIn;
    private final Map<String, Entry> user;
    private final Map<String, String> placeholders;
    private final Path userBase;

    private ImageCommands(
            Map<String, Entry> builtIn, Map<String, Entry> user, Path userBase, Map<String, String> placeholders) {
        this.builtIn = builtIn;
        this.user = user;
        this.userBase = userBase;
        this.placeholders = placeholders;
    }

    /**
     * @param repoDir the repository whose build outputs the built-in entries run
     * @param java the java executable for the built-in entries
     * @param mappingFile a user's mapping file, or null
     */
    public static ImageCommands load(Path repoDir, String java, Path mappingFile) {
        Map<String, Entry> builtIn;
        try (InputStream in = ImageCommands.class.getResourceAsStream(BUILTIN)) {
            builtIn = parse(in.readAllBytes(), "built-in image map");
        } catch (IOException e) {
            throw new IllegalStateException("the built-in image map is part of the jar", e);
        }
        Map<String, Entry> user = Map.of();
        Path base = null;
        if (mappingFile != null) {
            try {
                user = parse(Files.readAllBytes(mappingFile), mappingFile.toString());
            } catch (IOException e) {
                throw new RunnerException("cannot read the images file " + mappingFile + ": " + e.getMessage(), e);
            }
            base = mappingFile.toAbsolutePath().getParent();
        }
        Path repo = repoDir.toAbsolutePath().normalize();
        return new ImageCommands(
                builtIn,
                user,
                base,
                Map.of(
                        "${java}",
                        java,
                        "${repo}",
                        repo.toString(),
                        PYTHON_WRAPPER,
                        repo.resolve(".venv-wrapper/bin/seldon-core-microservice")
                                .toString()));
    }

    /** The command for an image, or an error naming the image and the mapping line to add. */
    public ImageCommand resolve(String image, String usedBy) {
        if (image == null || image.isBlank()) {
            throw new RunnerException(usedBy + " has no image");
        }
        Optional<ImageCommand> fromUser = lookup(user, image).map(e -> toCommand(e, userBase));
        if (fromUser.isPresent()) {
            return fromUser.get();
        }
        Entry entry = lookup(builtIn, image)
                .orElseThrow(() -> new RunnerException("no local command for image " + image + " (used by " + usedBy
                        + "). Map it in an images file and pass it" + " with --images FILE, e.g.:\n  " + image
                        + ": {command: [seldon-core-microservice, MyModel], workingDir: .}"));
        for (String required : entry.requires() == null ? List.<String>of() : entry.requires()) {
            Path file = Path.of(substitute(required));
            if (!Files.exists(file)) {
                throw new RunnerException("image " + image + " (used by " + usedBy + ") runs " + file
                        + ", which is not built yet: run `" + entry.build() + "` (make run does it)");
            }
        }
        return toCommand(entry, null);
    }

    private static Optional<Entry> lookup(Map<String, Entry> entries, String image) {
        String normalized = normalize(image);
        Entry exact = entries.get(normalized);
        if (exact != null) {
            return Optional.of(exact);
        }
        return Optional.ofNullable(entries.get(repository(normalized)));
    }

    /** Drops the default registry and library prefixes, so {@code docker.io/seldonio/x:1} is {@code seldonio/x:1}. */
    static String normalize(String image) {
        String s = image.trim();
        for (String prefix :
                List.of("docker.io/library/", "docker.io/", "index.docker.io/library/", "index.docker.io/")) {
            if (s.startsWith(prefix)) {
                s = s.substring(prefix.length());
                break;
            }
        }
        return s;
    }

    /** The image without tag or digest; a registry port ({@code host:5000/x}) is not a tag. */
    static String repository(String image) {
        String s = image;
        int at = s.indexOf('@');
        if (at >= 0) {
            s = s.substring(0, at);
        }
        int colon = s.lastIndexOf(':');
        return colon > s.lastIndexOf('/') ? s.substring(0, colon) : s;
    }

    private ImageCommand toCommand(Entry entry, Path base) {
        List<String> command = entry.command().stream().map(this::substitute).toList();
        Path workingDir = null;
        if (entry.workingDir() != null) {
            Path dir = Path.of(substitute(entry.workingDir()));
            workingDir =
                    base == null || dir.isAbsolute() ? dir : base.resolve(dir).normalize();
        }
        Map<String, String> env = entry.env() == null
                ? Map.of()
                : entry.env().entrySet().stream()
                        .collect(Collectors.toMap(
                                Map.Entry::getKey, e -> substitute(e.getValue()), (a, b) -> b, LinkedHashMap::new));
        return new ImageCommand(command, workingDir, env, entry.entrypoint() == null ? List.of() : entry.entrypoint());
    }

    private String substitute(String value) {
        String s = value;
        for (Map.Entry<String, String> p : placeholders.entrySet()) {
            s = s.replace(p.getKey(), p.getValue());
        }
        return s;
    }

    private static Map<String, Entry> parse(byte[] yaml, String source) {
        Map<String, Entry> entries;
        try {
            entries = YAML.readValue(yaml, new TypeReference<LinkedHashMap<String, Entry>>() {});
        } catch (JsonMappingException e) {
            throw new RunnerException(source + ": " + pathOf(e) + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new RunnerException(
                    source + ": not a YAML map of image -> {command, workingDir, env}: " + e.getMessage(), e);
        }
        if (entries == null) {
            return Map.of();
        }
        Map<String, Entry> normalized = new LinkedHashMap<>();
        entries.forEach((image, entry) -> {
            if (entry == null || entry.command() == null || entry.command().isEmpty()) {
                throw new RunnerException(
                        source + ": " + image + ": command is required (a list: [program, arg, ...])");
            }
            normalized.put(normalize(image), entry);
        });
        return normalized;
    }

    private static String pathOf(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}
