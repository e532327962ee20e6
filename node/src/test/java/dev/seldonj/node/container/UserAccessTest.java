package dev.seldonj.node.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserAccessTest {

    @TempDir
    Path dir;

    @Test
    void aBareProgramIsFoundOnThePathAndAScriptsInterpreterIsCheckedToo() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path home = Files.createDirectories(dir.resolve("home"));
        Path python = Files.writeString(home.resolve("python3"), "");
        python.toFile().setExecutable(true);
        Path tool = Files.writeString(bin.resolve("tool"), "#!" + python + "\nprint('hi')\n");
        tool.toFile().setExecutable(true);
        Path viaEnv = Files.writeString(bin.resolve("tool-env"), "#!/usr/bin/env python3\n");
        viaEnv.toFile().setExecutable(true);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        // a home folder only its owner may enter, as /root is
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));

        String path = bin + ":" + home;
        assertThat(UserAccess.withWhatExecReads(List.of("tool", "arg"), path))
                .containsExactly("tool", "arg", tool.toString(), python.toString());
        assertThat(UserAccess.withWhatExecReads(List.of(viaEnv.toString()), path))
                .contains(python.toString());
        assertThat(UserAccess.firstUnreadable(
                        UserAccess.withWhatExecReads(List.of("tool"), path), 8888, 8888, List.of()))
                .contains(python);
        assertThat(UserAccess.withWhatExecReads(List.of("no-such-program"), path))
                .containsExactly("no-such-program");
    }
}
