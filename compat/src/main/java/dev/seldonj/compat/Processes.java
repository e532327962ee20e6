package dev.seldonj.compat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Running the Python tools as child processes, bounded in time, with their output kept for messages. */
public final class Processes {

    private Processes() {}

    /** What a finished command printed (stdout and stderr together) and its exit code. */
    public record Result(List<String> command, int exitCode, String output) {
        public Result requireSuccess() {
            if (exitCode != 0) {
                throw new AssertionError(String.join(" ", command) + " exited with " + exitCode + ":\n" + output);
            }
            return this;
        }
    }

    /** Runs {@code command} in {@code dir} to completion, or kills it (and its children) at {@code timeout}. */
    public static Result run(List<String> command, Path dir, Map<String, String> env, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().putAll(env);
        return run(pb, timeout);
    }

    /**
     * Runs a prepared process (command, directory and environment set) to completion, its output kept,
     * or kills it (and its children) at {@code timeout}.
     */
    public static Result run(ProcessBuilder pb, Duration timeout) {
        List<String> command = List.copyOf(pb.command());
        try {
            File log = Files.createTempFile("seldonj-cmd", ".log").toFile();
            log.deleteOnExit();
            pb.redirectErrorStream(true).redirectOutput(log);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                destroyTree(p);
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + ":\n"
                        + Files.readString(log.toPath()));
            }
            return new Result(command, p.exitValue(), Files.readString(log.toPath()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /** Stops a process and everything it started (gunicorn workers, multiprocessing helpers). */
    public static void destroyTree(Process p) {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** What a process has written to its log file so far; a note instead when the file cannot be read. */
    public static String readLog(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** A port free right now on the loopback interface. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
