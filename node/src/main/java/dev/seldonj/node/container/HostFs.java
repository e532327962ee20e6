package dev.seldonj.node.container;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The host file system questions the mount plan asks: behind an interface, so the plan is a pure function in tests. */
public interface HostFs {

    boolean exists(Path path);

    boolean isDirectory(Path path);

    /** The path with every symlink resolved (e.g. /var/run -> /run); the path must exist. */
    Path realPath(Path existing);

    HostFs REAL = new HostFs() {
        @Override
        public boolean exists(Path path) {
            return Files.exists(path);
        }

        @Override
        public boolean isDirectory(Path path) {
            return Files.isDirectory(path);
        }

        @Override
        public Path realPath(Path existing) {
            try {
                return existing.toRealPath();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
}
