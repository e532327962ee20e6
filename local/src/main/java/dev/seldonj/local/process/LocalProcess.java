package dev.seldonj.local.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A started container: its process, its output echoed line by line with a {@code <pod>/<container>}
 * prefix, and the last lines kept for error messages.
 */
public final class LocalProcess {

    private static final int KEPT_LINES = 20;

    private final String name;
    private final Process process;
    private final Deque<String> lastLines = new ArrayDeque<>();
    private final Thread pump;

    LocalProcess(String name, Process process, Consumer<String> output) {
        this.name = name;
        this.process = process;
        this.pump = new Thread(() -> pump(output), "output-" + name);
        pump.setDaemon(true);
        pump.start();
    }

    private void pump(Consumer<String> output) {
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (lastLines) {
                    if (lastLines.size() == KEPT_LINES) {
                        lastLines.removeFirst();
                    }
                    lastLines.addLast(line);
                }
                output.accept(name + " | " + line);
            }
        } catch (IOException e) {
            // The stream closes when the process is destroyed: nothing more to echo.
        }
    }

    /** {@code <pod>/<container>}. */
    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public int exitCode() {
        return process.exitValue();
    }

    public Process process() {
        return process;
    }

    /** The last lines it printed, waiting briefly for the echo to drain when it has exited. */
    public List<String> lastLines() {
        if (!process.isAlive()) {
            try {
                pump.join(TimeUnit.SECONDS.toMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (lastLines) {
            return List.copyOf(lastLines);
        }
    }

    /** Its last lines as an indented block for an error message. */
    public String describeOutput() {
        List<String> lines = lastLines();
        return lines.isEmpty() ? "  (no output)" : "  " + String.join("\n  ", lines);
    }
}
