package dev.seldonj.node.container;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * A running container: the leader of its own process group, whose output goes to {@code log}.
 */
public final class ContainerProcess {

    private final Process process;
    private final Instant startedAt;
    private final Path log;

    ContainerProcess(Process process, Instant startedAt, Path log) {
        this.process = process;
        this.startedAt = startedAt;
        this.log = log;
    }

    public long pid() {
        return process.pid();
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Path log() {
        return log;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** The exit code, 128 + signal for a killed program (as Kubernetes reports it); only once it is not alive. */
    public int exitCode() {
        return process.exitValue();
    }

    public CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** SIGTERM to the container's whole process group. */
    public void terminate() {
        ProcessGroups.signal(pid(), false);
    }

    /** SIGKILL to the container's whole process group. */
    public void kill() {
        ProcessGroups.signal(pid(), true);
        process.destroyForcibly();
    }
}
