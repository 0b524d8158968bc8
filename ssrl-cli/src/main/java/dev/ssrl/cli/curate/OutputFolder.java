package dev.ssrl.cli.curate;

import dev.ssrl.cli.common.FileTrees;
import dev.ssrl.cli.common.UsageError;
import dev.ssrl.dataset.DatasetFormat;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * The output folder of {@code ssrl curate}: nothing half-written. The dataset is written into a
 * temporary folder beside {@code --out} (same file system) and renamed into place once complete; a
 * failure deletes the temporary folder and leaves {@code --out} as it was. As {@code ssrl generate}
 * does, a non-empty {@code --out} is refused unless {@code --overwrite} says so, and even then only
 * a dataset folder (one holding {@code manifest.json}) is replaced, never a folder of other files.
 */
final class OutputFolder implements AutoCloseable {
  private final Path target;
  private final Path tmp;
  private boolean committed;

  private OutputFolder(Path target, Path tmp) {
    this.target = target;
    this.tmp = tmp;
  }

  /**
   * Checks {@code --out} against {@code --dataset} and {@code --overwrite}.
   *
   * @return the folder to write: {@code out} made absolute, its links resolved where it exists
   * @throws UsageError naming the option and what is wrong
   */
  static Path check(Path out, Path dataset, boolean overwrite) throws IOException {
    Path target = out.toAbsolutePath().normalize();
    if (Files.exists(target)) {
      if (!Files.isDirectory(target)) {
        throw new UsageError("--out " + out + " exists and is not a folder");
      }
      target = target.toRealPath();
    }
    Path in = Files.exists(dataset) ? dataset.toRealPath() : dataset;
    Path real = realOf(target);
    if (real.startsWith(in) || in.startsWith(real)) {
      throw new UsageError(
          "--out "
              + out
              + " and --dataset "
              + dataset
              + " overlap: the curated dataset needs a folder of its own");
    }
    if (Files.isDirectory(target) && !isEmpty(target)) {
      if (!overwrite) {
        throw new UsageError(
            "output folder "
                + out
                + " is not empty; use --overwrite to replace the dataset in it, or choose an empty"
                + " folder");
      }
      if (!Files.isRegularFile(target.resolve(DatasetFormat.MANIFEST))) {
        throw new UsageError(
            "output folder "
                + out
                + " is not empty and holds no dataset ("
                + DatasetFormat.MANIFEST
                + "); --overwrite replaces only a dataset folder");
      }
    }
    return target;
  }

  /** The path with the links of its longest existing ancestor resolved. */
  private static Path realOf(Path p) throws IOException {
    Path existing = p;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    return existing == null ? p : existing.toRealPath().resolve(existing.relativize(p));
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  /** A new temporary folder beside {@code target}. */
  static OutputFolder create(Path target) throws IOException {
    Path parent = target.getParent();
    Files.createDirectories(parent);
    return new OutputFolder(
        target, Files.createTempDirectory(parent, "." + target.getFileName() + ".ssrl-curate-"));
  }

  /** The temporary folder to write into. */
  Path tmp() {
    return tmp;
  }

  /**
   * Moves the finished folder into place. An existing {@code target} (empty, or a dataset with
   * {@code --overwrite}) is first renamed aside and deleted after the move, so the target is at
   * every moment either the old folder or the complete new one (or briefly absent).
   */
  void commit() throws IOException {
    Path old = null;
    if (Files.exists(target)) {
      old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
      Files.delete(old);
      move(target, old);
    }
    move(tmp, target);
    committed = true;
    if (old != null) {
      FileTrees.delete(old);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  /** Deletes the temporary folder unless it was committed. */
  @Override
  public void close() throws IOException {
    if (!committed) {
      FileTrees.delete(tmp);
    }
  }
}
