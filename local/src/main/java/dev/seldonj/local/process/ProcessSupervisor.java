package dev.seldonj.local.process;

import dev.seldonj.local.errors.RunnerException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Starts processes and stops every one of them, with their whole process trees: a wrapper script or
 * a Python server's workers die with it. A process that exits while the runner has not asked it to
 * is reported with its exit code to {@code onUnexpectedExit}.
 */
public final class ProcessSupervisor implements AutoCloseable {

    private static final long GRACE_SECONDS = 5;

    private final Consumer<String> output;
    private final CompletableFuture<LocalProcess> firstUnexpectedExit = new CompletableFuture<>();
    private final List<LocalProcess> processes = new CopyOnWriteArrayList<>();
    private final Set<LocalProcess> toCompletion = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    public ProcessSupervisor(Consumer<String> output) {
        this.output = output;
    }

    /** Where process output and the runner's lines go. */
    public Consumer<String> output() {
        return output;
    }

    /** Completes with the first process that exits while the runner has not asked it to. */
    public CompletableFuture<LocalProcess> firstUnexpectedExit() {
        return firstUnexpectedExit;
    }

    public LocalProcess start(String name, List<String> command, Map<String, String> env, Path workingDir) {
        return start(name, command, env, workingDir, false);
    }

    private boolean runsToCompletion(LocalProcess process) {
        return toCompletion.contains(process);
    }

    private LocalProcess start(
            String name, List<String> command, Map<String, String> env, Path workingDir, boolean completes) {
        if (stopping) {
            throw new RunnerException("the runner is stopping; " + name + " was not started");
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        if (workingDir != null) {
            builder.directory(workingDir.toFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new RunnerException(
                    name + ": cannot start " + String.join(" ", command)
                            + (workingDir == null ? "" : " in " + workingDir) + ": " + e.getMessage(),
                    e);
        }
        LocalProcess local = new LocalProcess(name, process, output);
        if (completes) {
            toCompletion.add(local);
        }
        processes.add(local);
        process.onExit().thenRun(() -> {
            if (!stopping && !runsToCompletion(local)) {
                output.accept("runner | " + name + " exited with code " + local.exitCode());
                firstUnexpectedExit.complete(local);
            }
        });
        return local;
    }

    public List<LocalProcess> processes() {
        return List.copyOf(processes);
    }

    /** Runs a process to completion (an init container), failing with its output when it fails. */
    public void runToCompletion(
            String name, List<String> command, Map<String, String> env, Path workingDir, long timeoutSeconds) {
        LocalProcess process = start(name, command, env, workingDir, true);
        try {
            if (!process.process().waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new RunnerException(name + " did not finish within " + timeoutSeconds + " s; last output:\n"
                        + process.describeOutput());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunnerException(name + ": interrupted", e);
        }
        if (process.exitCode() != 0) {
            throw new RunnerException(
                    name + " exited with code " + process.exitCode() + "; last output:\n" + process.describeOutput());
        }
        processes.remove(process);
    }

    /** Stops every process it started: descendants first, then the process; SIGKILL after a grace period. */
    @Override
    public void close() {
        stopping = true;
        List<ProcessHandle> all = new ArrayList<>();
        for (LocalProcess process : processes) {
            ProcessHandle handle = process.process().toHandle();
            handle.descendants().forEach(all::add);
            all.add(handle);
        }
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                handle.destroyForcibly();
            } catch (ExecutionException e) {
                handle.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                handle.destroyForcibly();
            }
        }
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                output.accept("runner | process " + handle.pid() + " did not exit after SIGKILL");
            }
        }
    }
}
