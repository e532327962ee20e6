package dev.seldonj.node.container;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a user could read the files a container's program line names (the java binary, the jar): in
 * an image they belong to that user, here they belong to whoever built this checkout.
 */
public final class UserAccess {

    private UserAccess() {}

    /**
     * The program line plus the files exec would also read for it: a bare program name found on
     * {@code path} (as {@code python3}), and a script's {@code #!} interpreter ({@code #!/usr/bin/env python3}
     * resolved on {@code path} too). A virtualenv's console script is readable while its interpreter, a
     * symbolic link into a home folder, may not be.
     */
    public static List<String> withWhatExecReads(List<String> programLine, String path) {
        List<String> words = new ArrayList<>(programLine);
        if (programLine.isEmpty()) {
            return words;
        }
        Optional<Path> program = locate(programLine.get(0), path);
        program.ifPresent(p -> {
            words.add(p.toString());
            interpreter(p, path).ifPresent(i -> words.add(i.toString()));
        });
        return words;
    }

    private static Optional<Path> locate(String name, String path) {
        if (name.contains("/")) {
            return Optional.of(Path.of(name)).filter(Files::isRegularFile);
        }
        for (String dir : (path == null ? "" : path).split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> interpreter(Path script, String path) {
        try (BufferedReader in = Files.newBufferedReader(script, StandardCharsets.ISO_8859_1)) {
            String first = in.readLine();
            if (first == null || !first.startsWith("#!")) {
                return Optional.empty();
            }
            String[] words = first.substring(2).trim().split("\\s+");
            if (words.length == 0 || words[0].isEmpty()) {
                return Optional.empty();
            }
            if (words[0].endsWith("/env") && words.length > 1) {
                return locate(words[1], path);
            }
            return locate(words[0], path);
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /** The first absolute path in the program line that the user cannot read, if any. */
    public static Optional<Path> firstUnreadable(List<String> programLine, long uid, long gid, List<Long> groups) {
        for (String word : programLine) {
            if (!word.startsWith("/")) {
                continue;
            }
            Path path = Path.of(word);
            if (Files.exists(path) && !readable(path, uid, gid, groups)) {
                return Optional.of(path);
            }
        }
        return Optional.empty();
    }

    static boolean readable(Path path, long uid, long gid, List<Long> groups) {
        try {
            Path real = path.toRealPath();
            for (Path dir = real.getParent(); dir != null; dir = dir.getParent()) {
                if (!allowed(
                        dir,
                        uid,
                        gid,
                        groups,
                        PosixFilePermission.OWNER_EXECUTE,
                        PosixFilePermission.GROUP_EXECUTE,
                        PosixFilePermission.OTHERS_EXECUTE)) {
                    return false;
                }
            }
            return allowed(
                    real,
                    uid,
                    gid,
                    groups,
                    PosixFilePermission.OWNER_READ,
                    PosixFilePermission.GROUP_READ,
                    PosixFilePermission.OTHERS_READ);
        } catch (IOException | UnsupportedOperationException e) {
            return true; // cannot tell: let the program's own error speak
        }
    }

    private static boolean allowed(
            Path p,
            long uid,
            long gid,
            List<Long> groups,
            PosixFilePermission owner,
            PosixFilePermission group,
            PosixFilePermission others)
            throws IOException {
        Map<String, Object> attrs = Files.readAttributes(p, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
        int fileUid = (Integer) attrs.get("uid");
        int fileGid = (Integer) attrs.get("gid");
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        if (fileUid == uid) {
            return perms.contains(owner);
        }
        if (fileGid == gid || groups.contains((long) fileGid)) {
            return perms.contains(group);
        }
        return perms.contains(others);
    }
}
