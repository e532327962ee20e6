package dev.seldonj.e2e.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One command line run to completion, its output captured; a time-out kills it and says so. */
public record Command(List<String> argv, int exit, String stdout, String stderr) {

    /** Runs {@code argv} with {@code env} added, with {@code stdin} (or nothing) as its input. */
    public static Command run(List<String> argv, Map<String, String> env, String stdin, Duration timeout) {
        try {
            Path out = Files.createTempFile("cmd", ".out");
            Path err = Files.createTempFile("cmd", ".err");
            try {
                ProcessBuilder builder =
                        new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile());
                builder.environment().putAll(env);
                if (stdin == null) {
                    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                }
                Process process = builder.start();
                if (stdin != null) {
                    try (var in = process.getOutputStream()) {
                        in.write(stdin.getBytes(StandardCharsets.UTF_8));
                    }
                }
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor();
                    throw new IllegalStateException(String.join(" ", argv) + " did not finish within " + timeout
                            + "; its output so far:\n" + Files.readString(out) + Files.readString(err));
                }
                return new Command(
                        List.copyOf(argv), process.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", argv), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", argv), e);
        }
    }

    public boolean ok() {
        return exit == 0;
    }

    /** The standard output, or an error with everything the command said. */
    public String orThrow() {
        if (!ok()) {
            throw new AssertionError(String.join(" ", argv) + " exited " + exit + "\n" + stdout + stderr);
        }
        return stdout;
    }
}
