package dev.seldonj.compat;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where Seldon's Python tools live: the repository's {@code .venv/} (made by {@code make venv} from
 * {@code compat/requirements.txt}) and the Python models and contracts under {@code compat/}. The
 * root comes from the system property {@code seldonj.root} (set by the module's pom; other modules set
 * it to {@code ${project.basedir}/..}), else the nearest parent directory holding {@code compat/}.
 */
public record CompatEnvironment(Path root) {

    public static CompatEnvironment current() {
        String configured = System.getProperty("seldonj.root");
        if (configured != null && !configured.isBlank()) {
            return new CompatEnvironment(Path.of(configured).toAbsolutePath().normalize());
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("compat/requirements.txt"))) {
                return new CompatEnvironment(dir);
            }
        }
        throw new IllegalStateException("cannot find the repository root: set -Dseldonj.root=<checkout>");
    }

    public Path venv() {
        return root.resolve(".venv");
    }

    /** A console script or interpreter in the virtualenv, e.g. {@code seldon-core-microservice}. */
    public Path bin(String name) {
        return venv().resolve("bin").resolve(name);
    }

    public Path python() {
        return bin("python");
    }

    /** The Python model classes and helper scripts ({@code MyModel.py}, {@code seldon_client_check.py}, ...). */
    public Path pythonDir() {
        return root.resolve("compat/python");
    }

    public Path contract(String fileName) {
        return root.resolve("compat/contracts").resolve(fileName);
    }

    /** Fails loudly, with the fix, when the virtualenv has not been made. */
    public CompatEnvironment requireVenv() {
        Path microservice = bin("seldon-core-microservice");
        if (!Files.isExecutable(microservice)) {
            throw new IllegalStateException(microservice + " is missing: run `make venv` in " + root
                    + " (it installs compat/requirements.txt from PyPI)");
        }
        return this;
    }
}
