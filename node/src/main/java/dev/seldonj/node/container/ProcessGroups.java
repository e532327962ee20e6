package dev.seldonj.node.container;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Signals whole process groups. Each container's program is started as the leader of its own session
 * and group ({@code setsid}), so its group is everything it started that did not leave on purpose; what
 * did leave is still found through the pod's network namespace (see PodNetwork#pids).
 */
public final class ProcessGroups {

    private static final Path PROC = Path.of("/proc");

    private ProcessGroups() {}

    /** SIGTERM ({@code force} false) or SIGKILL to every live member of the group. */
    public static void signal(long pgid, boolean force) {
        members(pgid).forEach(pid -> signalPid(pid, force));
    }

    public static void signalPid(long pid, boolean force) {
        ProcessHandle.of(pid).ifPresent(h -> {
            if (force) {
                h.destroyForcibly();
            } else {
                h.destroy();
            }
        });
    }

    /** Whether any process of the group is still alive (zombies do not count). */
    public static boolean alive(long pgid) {
        return !members(pgid).isEmpty();
    }

    public static List<Long> members(long pgid) {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> dirs =
                Files.newDirectoryStream(PROC, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path dir : dirs) {
                Stat stat = stat(Long.parseLong(dir.getFileName().toString()));
                if (stat != null && stat.pgrp() == pgid && stat.state() != 'Z') {
                    pids.add(stat.pid());
                }
            }
        } catch (IOException e) {
            // /proc is always there on Linux; an unreadable entry is a process that just went.
        }
        return pids;
    }

    /** The start time (clock ticks since boot) that tells a pid's process from a later one with the same pid. */
    public static OptionalLong startTime(long pid) {
        Stat stat = stat(pid);
        return stat == null ? OptionalLong.empty() : OptionalLong.of(stat.startTime());
    }

    record Stat(long pid, char state, long pgrp, long startTime) {}

    static Stat stat(long pid) {
        String line;
        try {
            line = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
        } catch (IOException e) {
            return null;
        }
        return parseStat(pid, line);
    }

    /** Fields after the command name (which may hold spaces and parentheses): state ppid pgrp ... starttime (22nd). */
    static Stat parseStat(long pid, String line) {
        int close = line.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        String[] f = line.substring(close + 2).trim().split("\\s+");
        if (f.length < 20) {
            return null;
        }
        return new Stat(pid, f[0].charAt(0), Long.parseLong(f[2]), Long.parseLong(f[19]));
    }
}
