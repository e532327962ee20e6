package dev.seldonj.local.cli;

import dev.seldonj.local.errors.RunnerException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the seldonj checkout: the nearest directory upwards whose pom is the seldonj parent (the root pom). */
final class RepoDir {

    private RepoDir() {}

    /**
     * The checkout holding {@code start}, else the one holding this runner's own jar (so that
     * {@code java -jar /path/to/seldonj/local/target/seldonj-local.jar run -f my.yaml} works from any
     * directory), else an error naming the flag to give.
     */
    static Path locate(Path start, Path codeLocation) {
        return nearest(start)
                .or(() -> codeLocation == null ? Optional.empty() : nearest(codeLocation.toAbsolutePath()))
                .orElseThrow(
                        () -> new RunnerException("cannot find the seldonj checkout (the folder with its root pom.xml)"
                                + " above " + start + (codeLocation == null ? "" : " or above " + codeLocation)
                                + ": pass --repo-dir DIR (its build outputs run this project's images)"));
    }

    /** Where this class was loaded from: the runner's jar, or a classes folder in a build. */
    static Path codeLocation() {
        try {
            return Path.of(RepoDir.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException | SecurityException | NullPointerException | IllegalArgumentException e) {
            return null;
        }
    }

    static Optional<Path> nearest(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            try {
                if (Files.isRegularFile(pom) && isParentPom(Files.readString(pom))) {
                    return Optional.of(dir);
                }
            } catch (IOException e) {
                // An unreadable pom is not ours; keep looking upwards.
            }
        }
        return Optional.empty();
    }

    /** Module poms name seldonj-parent as their parent too; only the root lists modules. */
    private static boolean isParentPom(String pom) {
        return pom.contains("<artifactId>seldonj-parent</artifactId>") && pom.contains("<modules>");
    }
}
