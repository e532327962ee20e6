package dev.seldonj.node.container;

import dev.seldonj.node.errors.NodeException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts a container's program: in a new session ({@code setsid}, so the whole tree is one process group
 * to signal), in the pod's network namespace ({@code ip netns exec}), in a mount and UTS namespace of its
 * own ({@code unshare}) where the mount script runs first, as the container's user ({@code setpriv}).
 * Every step execs the next, so the pid the agent holds is the program's. Output goes to the log file;
 * the pid (with its start time, to tell it from a later process with the same pid) to the pid file, which
 * is how a restarted agent finds leftovers of a previous run.
 */
public final class ContainerLauncher {

    /**
     * What to start.
     *
     * @param netns the pod's network namespace, or null for the host's (hostNetwork)
     * @param script the mount script (ends by exec-ing its arguments)
     * @param program the container's program line
     * @param env its whole environment (nothing is inherited from the agent)
     */
    public record Launch(
            String netns,
            String script,
            Security security,
            List<String> program,
            Map<String, String> env,
            Path log,
            Path pidFile) {}

    private final Tools tools;

    public ContainerLauncher(Tools tools) {
        this.tools = tools;
    }

    public ContainerProcess start(Launch launch) {
        List<String> argv = argv(launch);
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(launch.log().toFile()))
                .redirectInput(new File("/dev/null"))
                .directory(new File("/"));
        builder.environment().clear();
        builder.environment().putAll(launch.env());
        try {
            Files.createDirectories(launch.log().getParent());
            Files.createDirectories(launch.pidFile().getParent());
            Instant started = Instant.now();
            Process process = builder.start();
            long startTime = ProcessGroups.startTime(process.pid()).orElse(0);
            Files.writeString(launch.pidFile(), process.pid() + " " + startTime + "\n");
            return new ContainerProcess(process, started, launch.log());
        } catch (IOException e) {
            throw new ContainerConfigException(
                    ContainerConfigException.RUN_ERROR,
                    "cannot start " + String.join(" ", launch.program()) + ": " + e.getMessage());
        }
    }

    List<String> argv(Launch launch) {
        List<String> argv = new ArrayList<>(List.of(tools.setsid()));
        if (launch.netns() != null) {
            argv.addAll(List.of(tools.ip(), "netns", "exec", launch.netns(), tools.unshare(), "--mount", "--uts"));
        } else {
            argv.addAll(List.of(tools.unshare(), "--mount"));
        }
        argv.addAll(List.of("--propagation", "private", "--", tools.sh(), "-c", launch.script(), "sh"));
        argv.addAll(launch.security().setpriv(tools.setpriv()));
        argv.addAll(launch.program());
        return argv;
    }

    /** Kills what a pid file of an earlier run names, if that very process (same start time) still lives. */
    public static void killLeftover(Path pidFile) {
        try {
            String[] words = Files.readString(pidFile).trim().split("\\s+");
            long pid = Long.parseLong(words[0]);
            long startTime = words.length > 1 ? Long.parseLong(words[1]) : -1;
            if (ProcessGroups.startTime(pid).orElse(-2) == startTime) {
                ProcessGroups.signal(pid, true);
            } else if (!ProcessGroups.members(pid).isEmpty()
                    && ProcessHandle.of(pid).isEmpty()) {
                // The leader is gone but its group lives on: still ours, since pids are not reused while a group
                // exists.
                ProcessGroups.signal(pid, true);
            }
        } catch (IOException | RuntimeException e) {
            throw new NodeException("cannot read pid file " + pidFile + ": " + e.getMessage(), e);
        }
    }
}
