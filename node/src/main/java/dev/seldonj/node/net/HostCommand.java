package dev.seldonj.node.net;

import dev.seldonj.node.errors.NodeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short host command ({@code ip}, {@code kill}) to completion and returns what it printed; a
 * failure carries the command line and its own error text, which is what a user needs to fix it.
 */
public final class HostCommand {

    private static final long TIMEOUT_SECONDS = 20;

    /** What a finished command printed, and how it ended. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private HostCommand() {}

    /** Runs it and fails unless it exits 0. */
    public static String run(List<String> command) {
        Result result = attempt(command);
        if (!result.ok()) {
            throw new NodeException("`" + String.join(" ", command) + "` failed (exit " + result.exitCode() + "): "
                    + result.output().strip());
        }
        return result.output();
    }

    /** Runs it and reports how it ended; only a command that cannot start at all fails. */
    public static Result attempt(List<String> command) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new NodeException(
                    "cannot run `" + String.join(" ", command) + "`: " + e.getMessage() + " (is " + command.get(0)
                            + " installed?)",
                    e);
        }
        try {
            process.getOutputStream().close();
            // Output is read before waiting: these commands print little, and a full pipe would block them.
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new NodeException(
                        "`" + String.join(" ", command) + "` did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            process.destroyForcibly();
            throw new NodeException("`" + String.join(" ", command) + "`: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new NodeException("`" + String.join(" ", command) + "`: interrupted", e);
        }
    }
}
