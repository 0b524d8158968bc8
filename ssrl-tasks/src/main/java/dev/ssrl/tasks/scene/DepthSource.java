package dev.ssrl.tasks.scene;

import dev.ssrl.tasks.scene.impl.SceneBytes;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A depth file handed to a {@link DepthFormat}: a file on disk, or the bytes of one held in memory
 * ({@link EncodedFile}) with the name that stands for it. A format reads what it needs through it,
 * so that one implementation serves both, with the same checks and messages: a missing, unreadable,
 * empty or (for a Java array) too large file is a {@link SceneLoadException} naming {@link
 * #path()}. Not thread-safe: one source serves one load.
 */
public final class DepthSource {
  private final Path path;
  private byte[] bytes;
  private final boolean inMemory;

  private DepthSource(Path path, byte[] bytes) {
    this.path = Objects.requireNonNull(path, "path");
    this.bytes = bytes;
    this.inMemory = bytes != null;
  }

  /** The file at {@code path}, read when a format asks for it. */
  public static DepthSource of(Path path) {
    return new DepthSource(path, null);
  }

  /** A file held in memory; errors name {@link EncodedFile#name()}. */
  public static DepthSource of(EncodedFile file) {
    Objects.requireNonNull(file, "file");
    return new DepthSource(file.path(), file.bytes());
  }

  /** The file, or the name of the bytes held in memory; errors name it. */
  public Path path() {
    return path;
  }

  /** The file's name (no folder), for {@link DepthFormat#claimsByName}. */
  public String fileName() {
    Path name = path.getFileName();
    return name == null ? "" : name.toString();
  }

  /**
   * Whether the file is held in memory; a format that can read a file on disk without holding it
   * whole (HDF5, mapped) does so only when this is false.
   */
  public boolean inMemory() {
    return inMemory;
  }

  /**
   * The first {@code n} bytes (all of a shorter file), reading only those from disk.
   *
   * @throws SceneLoadException if the file is missing, unreadable or empty
   */
  public byte[] head(int n) throws SceneLoadException {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, got " + n);
    }
    if (bytes != null) {
      SceneBytes.checkNotEmpty(bytes, path);
      return bytes.length <= n ? bytes : java.util.Arrays.copyOf(bytes, n);
    }
    return SceneBytes.head(path, n);
  }

  /**
   * The whole file, read from disk once (later calls return the same array; do not modify it).
   *
   * @throws SceneLoadException if the file is missing, unreadable, empty or too large for an array
   */
  public byte[] bytes() throws SceneLoadException {
    if (bytes == null) {
      bytes = SceneBytes.readAll(path);
    }
    return SceneBytes.checkNotEmpty(bytes, path);
  }

  @Override
  public String toString() {
    return "DepthSource[" + FileNames.display(path) + (inMemory ? ", in memory]" : "]");
  }
}
