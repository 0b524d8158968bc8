package dev.ssrl.cli.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Removing a folder with everything in it, as generate and curate do with their scratch folders.
 */
public final class FileTrees {
  private FileTrees() {}

  /**
   * Deletes {@code p} and everything below it, deepest first; nothing when it does not exist. A
   * file that disappears meanwhile is not an error.
   */
  public static void delete(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        try {
          Files.delete(q);
        } catch (NoSuchFileException ignored) {
          // Already gone: nothing to do.
        }
      }
    }
  }
}
