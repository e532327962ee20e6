package dev.seldonj.node.registration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the Node object says about this machine: processors, memory, disk, kernel, OS, identifiers.
 */
public record NodeFacts(
        int cpus,
        long memoryKi,
        long storageKi,
        String kernelVersion,
        String osImage,
        String machineId,
        String bootId,
        String architecture) {

    public static NodeFacts read(Path stateDir) {
        long storage;
        try {
            Files.createDirectories(stateDir);
            storage = Files.getFileStore(stateDir).getTotalSpace() / 1024;
        } catch (IOException e) {
            storage = 0;
        }
        return new NodeFacts(
                Runtime.getRuntime().availableProcessors(),
                memTotalKi(),
                storage,
                firstLine("/proc/sys/kernel/osrelease", "unknown"),
                readOsImage(),
                firstLine("/etc/machine-id", ""),
                firstLine("/proc/sys/kernel/random/boot_id", ""),
                goArch(System.getProperty("os.arch")));
    }

    /** Go's names for architectures, as in kubernetes.io/arch. */
    static String goArch(String javaArch) {
        return switch (javaArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            default -> javaArch;
        };
    }

    private static long memTotalKi() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        return 0;
    }

    private static String readOsImage() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring("PRETTY_NAME=".length()).replace("\"", "");
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "Linux";
    }

    private static String firstLine(String file, String fallback) {
        try {
            return Files.readString(Path.of(file)).strip();
        } catch (IOException e) {
            return fallback;
        }
    }
}
