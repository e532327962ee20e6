package dev.seldonj.node.volume;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a volume's files the way kubelet's atomic writer does, so a running program sees either the old
 * or the new set, never a mix: the files go to a fresh {@code ..<n>} directory, the {@code ..data} symlink
 * is switched to it with one rename, and each top-level name is a symlink through {@code ..data}.
 * Programs that watch {@code ..data} (certificate reloaders) work as on a cluster.
 */
public final class AtomicWriter {

    private static final String DATA = "..data";
    private static final AtomicLong GENERATION = new AtomicLong(System.nanoTime());

    private AtomicWriter() {}

    /**
     * @param gid the pod's fsGroup (files get that group and group read), or null
     * @return whether anything changed
     */
    public static boolean write(Path dir, Map<String, FileContent> files, Long gid) throws IOException {
        Files.createDirectories(dir);
        Path data = dir.resolve(DATA);
        if (Files.isSymbolicLink(data)) {
            Path current = dir.resolve(Files.readSymbolicLink(data));
            if (read(current).equals(withGroup(files, gid))) {
                return false;
            }
        }
        Path generation = dir.resolve(".." + GENERATION.incrementAndGet());
        Files.createDirectory(generation);
        Files.setPosixFilePermissions(generation, perms(0755));
        for (Map.Entry<String, FileContent> f : files.entrySet()) {
            Path file = generation.resolve(f.getKey());
            Files.createDirectories(file.getParent());
            Files.write(file, f.getValue().data());
            Files.setPosixFilePermissions(file, perms(mode(f.getValue().mode(), gid)));
            if (gid != null) {
                Files.setAttribute(file, "unix:gid", gid.intValue(), LinkOption.NOFOLLOW_LINKS);
            }
        }
        if (gid != null) {
            Files.setAttribute(generation, "unix:gid", gid.intValue(), LinkOption.NOFOLLOW_LINKS);
        }
        Path tmp = dir.resolve("..data_tmp");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, generation.getFileName());
        Files.move(tmp, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        Set<String> tops = new LinkedHashSet<>();
        files.keySet().forEach(k -> tops.add(k.split("/")[0]));
        for (String top : tops) {
            Path link = dir.resolve(top);
            if (!Files.isSymbolicLink(link)) {
                Files.createSymbolicLink(link, Path.of(DATA, top));
            }
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith("..")) {
                    if (!name.equals(DATA) && !entry.equals(generation)) {
                        deleteTree(entry);
                    }
                } else if (!tops.contains(name) && Files.isSymbolicLink(entry)) {
                    Files.delete(entry);
                }
            }
        }
        return true;
    }

    /** The files under a generation directory, as written (mode bits only). */
    static Map<String, FileContent> read(Path generation) throws IOException {
        Map<String, FileContent> files = new HashMap<>();
        if (!Files.isDirectory(generation)) {
            return files;
        }
        Files.walkFileTree(generation, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                int mode = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
                files.put(generation.relativize(file).toString(), new FileContent(Files.readAllBytes(file), mode));
                return FileVisitResult.CONTINUE;
            }
        });
        return files;
    }

    private static Map<String, FileContent> withGroup(Map<String, FileContent> files, Long gid) {
        Map<String, FileContent> out = new HashMap<>();
        files.forEach((k, v) -> out.put(k, new FileContent(v.data(), mode(v.mode(), gid))));
        return out;
    }

    /** With an fsGroup, kubelet adds group read to every file of a read-only volume. */
    private static int mode(int mode, Long gid) {
        return (gid == null ? mode : mode | 0440) & 0777;
    }

    static Set<PosixFilePermission> perms(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
        };
        for (int i = 0; i < order.length; i++) {
            if ((mode & (1 << i)) != 0) {
                set.add(order[i]);
            }
        }
        return set;
    }

    /** Deletes a tree without following symlinks (a symlink is removed, never what it points to). */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
