package dev.seldonj.node.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
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
        if (!allowed(dir, uid, gid, groups, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_EXECUTE)) {
          return false;
        }
      }
      return allowed(real, uid, gid, groups, PosixFilePermission.OWNER_READ, PosixFilePermission.GROUP_READ,
          PosixFilePermission.OTHERS_READ);
    } catch (IOException | UnsupportedOperationException e) {
      return true; // cannot tell: let the program's own error speak
    }
  }

  private static boolean allowed(Path p, long uid, long gid, List<Long> groups, PosixFilePermission owner,
      PosixFilePermission group, PosixFilePermission others) throws IOException {
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
