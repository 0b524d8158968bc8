package dev.ssrl.tasks.scene;

import dev.ssrl.tasks.scene.impl.SceneBytes;
import java.io.InputStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The bytes of one scene file held in memory (read from HDFS, S3, a jar, a socket, ...), with the
 * name that stands for it: {@link SceneLoader} decodes it exactly as it decodes the file of that
 * name, with the same pixel budget and the same {@link SceneLoadException} messages, which name
 * {@code name}.
 *
 * <p>As for files, the format is recognised by content; the name's extension is the fallback where
 * content cannot tell ({@code .h5}/{@code .hdf5}/{@code .hdf} for an HDF5 depth file whose
 * signature sits behind a user block), so give the name the file has. Nothing is written anywhere
 * while decoding, not even a temporary file. The array is taken over, not copied: do not modify it.
 *
 * @param name the file name or URI shown in errors, e.g. {@code scene_001.png} or {@code
 *     hdfs://nn/data/scene_001_depth.h5}
 * @param bytes the whole file
 */
public record EncodedFile(String name, byte[] bytes) {

  /**
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the name is blank or cannot be a path name (it contains a
   *     NUL character)
   */
  public EncodedFile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(bytes, "bytes");
    asPath(name);
  }

  /**
   * Reads a whole stream into memory (never into a file). The stream is not closed.
   *
   * @throws SceneLoadException naming {@code name} if reading fails, the stream is empty, or it
   *     holds more than a Java array can (about 2 GiB), as for a file
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException as the constructor does for the name
   */
  public static EncodedFile read(String name, InputStream in) throws SceneLoadException {
    Objects.requireNonNull(in, "in");
    Path path = asPath(name);
    return new EncodedFile(name, SceneBytes.readAll(in, path));
  }

  /** The name as the path the decoders report in their errors. */
  Path path() {
    return asPath(name);
  }

  private static Path asPath(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    try {
      return Path.of(name);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("name is not a valid file name: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "EncodedFile[" + name + ", " + bytes.length + " bytes]";
  }
}
