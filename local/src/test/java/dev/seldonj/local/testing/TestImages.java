package dev.seldonj.local.testing;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.seldonj.local.RunOptions;
import dev.seldonj.local.gateway.Gateway;
import dev.seldonj.local.images.ImageCommands;
import dev.seldonj.local.ports.PortAllocator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/** An images file whose "images" are this module's test classes, run with the test JVM's classpath. */
public final class TestImages {

    public static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    public static final String CLASSPATH = System.getProperty("java.class.path");

    private TestImages() {}

    /** Writes the file: the fake engine and model, plus any extra image -> command entries. */
    public static Path write(Path dir, Map<String, List<String>> extra) throws IOException {
        Map<String, Object> images = new LinkedHashMap<>();
        images.put("seldonj/engine", Map.of("command", List.of(JAVA, "-cp", CLASSPATH, FakeEngine.class.getName())));
        images.put("test/model", Map.of("command", List.of(JAVA, "-cp", CLASSPATH, FakeModel.class.getName())));
        extra.forEach((image, command) -> images.put(image, Map.of("command", command)));
        Path file = dir.resolve("images.yaml");
        new YAMLMapper().writeValue(file.toFile(), images);
        return file;
    }

    public static RunOptions options(Path imagesFile, Consumer<String> output, long seed, Duration readyTimeout) {
        // REST and gRPC on one free port, as Emissary (and the runner by default) serve them.
        return new RunOptions(
                ImageCommands.load(imagesFile.getParent(), JAVA, imagesFile),
                0,
                Gateway.SAME_PORT,
                new Random(seed),
                readyTimeout,
                output,
                PortAllocator.ephemeral());
    }
}
