package dev.seldonj.local.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the seldonj checkout: the nearest directory upwards whose pom is the seldonj parent (the root pom). */
final class RepoDir {

  private RepoDir() {}

  static Path find(Path start) {
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path pom = dir.resolve("pom.xml");
      try {
        if (Files.isRegularFile(pom) && isParentPom(Files.readString(pom))) {
          return dir;
        }
      } catch (IOException e) {
        // An unreadable pom is not ours; keep looking upwards.
      }
    }
    return start;
  }

  /** Module poms name seldonj-parent as their parent too; only the root lists modules. */
  private static boolean isParentPom(String pom) {
    return pom.contains("<artifactId>seldonj-parent</artifactId>") && pom.contains("<modules>");
  }
}
