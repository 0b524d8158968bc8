package dev.ssrl.dataset;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** File moves and write errors of the single-machine writer. */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Moves a finished temporary file over its target, atomically where the file system can. */
  public static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * A write failure naming the file: a full disk or a file-size limit otherwise surfaces as a bare
   * "No space left on device" or "File too large".
   */
  public static IOException writeFailed(Path target, IOException e) {
    String m = e.getMessage();
    if (m != null && m.startsWith("cannot write ")) {
      return e;
    }
    return new IOException(
        "cannot write " + target + ": " + (m == null ? e.getClass().getSimpleName() : m), e);
  }
}
