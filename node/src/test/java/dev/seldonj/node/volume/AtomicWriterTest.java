package dev.seldonj.node.volume;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicWriterTest {

    @TempDir
    Path dir;

    private static FileContent f(String text, int mode) {
        return new FileContent(text.getBytes(StandardCharsets.UTF_8), mode);
    }

    @Test
    void filesAppearThroughDataAndAreSwappedWhole() throws IOException {
        assertThat(AtomicWriter.write(dir, Map.of("a.txt", f("one", 0644), "sub/b.txt", f("two", 0600)), null))
                .isTrue();
        assertThat(Files.readString(dir.resolve("a.txt"))).isEqualTo("one");
        assertThat(Files.readString(dir.resolve("sub/b.txt"))).isEqualTo("two");
        assertThat(Files.isSymbolicLink(dir.resolve("a.txt"))).isTrue();
        assertThat(Files.readSymbolicLink(dir.resolve("a.txt"))).isEqualTo(Path.of("..data/a.txt"));
        Path first = Files.readSymbolicLink(dir.resolve("..data"));

        assertThat(AtomicWriter.write(dir, Map.of("a.txt", f("one", 0644), "sub/b.txt", f("two", 0600)), null))
                .as("unchanged content is not rewritten")
                .isFalse();
        assertThat(AtomicWriter.write(dir, Map.of("a.txt", f("three", 0644)), null))
                .isTrue();
        assertThat(Files.readString(dir.resolve("a.txt"))).isEqualTo("three");
        assertThat(Files.exists(dir.resolve("sub")))
                .as("a name no longer there is removed")
                .isFalse();
        assertThat(Files.exists(dir.resolve(first)))
                .as("the old generation is removed")
                .isFalse();
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("..")))
                    .hasSize(2)
                    .contains("..data");
        }
    }

    @Test
    void modesAreTheFilesPermissions() throws IOException {
        AtomicWriter.write(dir, Map.of("key", f("k", 0400)), null);
        assertThat(AtomicWriter.read(dir.resolve(Files.readSymbolicLink(dir.resolve("..data"))))
                        .get("key")
                        .mode())
                .isEqualTo(0400);
    }

    @Test
    void deletingATreeNeverFollowsSymlinks(@TempDir Path outside) throws IOException {
        Path precious = Files.writeString(outside.resolve("precious"), "x");
        Files.createDirectories(dir.resolve("v"));
        Files.createSymbolicLink(dir.resolve("v/link"), outside);
        AtomicWriter.deleteTree(dir.resolve("v"));
        assertThat(Files.exists(dir.resolve("v"))).isFalse();
        assertThat(Files.readString(precious)).isEqualTo("x");
    }
}
