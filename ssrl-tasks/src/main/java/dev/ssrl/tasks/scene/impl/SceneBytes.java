package dev.ssrl.tasks.scene.impl;

import dev.ssrl.tasks.scene.SceneLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Whole-file reads that turn every I/O failure into a {@link SceneLoadException}. */
public final class SceneBytes {
  private SceneBytes() {}

  /**
   * The reason of a load that ran out of heap; short and fixed, as it is a manifest key. {@code
   * SceneLoader.OUT_OF_MEMORY} publishes it; it is defined here so that the decoders need nothing
   * of the API class that calls them.
   */
  public static final String OUT_OF_MEMORY =
      "not enough memory to load this file (Java heap space)";

  // Java arrays stop a little below 2^31; larger files cannot be held as one byte[].
  private static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 16;

  /** Checks that {@code path} is a readable, non-empty regular file and returns its size. */
  static long checkReadable(Path path) throws SceneLoadException {
    if (!Files.exists(path)) {
      throw new SceneLoadException(path, "file not found");
    }
    if (Files.isDirectory(path)) {
      throw new SceneLoadException(path, "is a directory, not a file");
    }
    if (!Files.isReadable(path)) {
      throw new SceneLoadException(path, "permission denied (file is not readable)");
    }
    long size;
    try {
      size = Files.size(path);
    } catch (IOException e) {
      throw wrap(path, e);
    }
    if (size == 0) {
      throw new SceneLoadException(path, "empty file (0 bytes)");
    }
    return size;
  }

  /** The whole content of a readable, non-empty file. */
  public static byte[] readAll(Path path) throws SceneLoadException {
    long size = checkReadable(path);
    if (size > MAX_FILE_BYTES) {
      throw new SceneLoadException(path, "file too large (" + size + " bytes)");
    }
    try {
      byte[] bytes = Files.readAllBytes(path);
      if (bytes.length == 0) {
        throw new SceneLoadException(path, "empty file (0 bytes)");
      }
      return bytes;
    } catch (IOException e) {
      throw wrap(path, e);
    } catch (OutOfMemoryError e) {
      throw new SceneLoadException(path, "not enough memory to read " + size + " bytes", e);
    }
  }

  /**
   * The first {@code n} bytes of a readable, non-empty file (fewer for a shorter one), reading no
   * more of it.
   */
  public static byte[] head(Path path, int n) throws SceneLoadException {
    checkReadable(path);
    try (InputStream in = Files.newInputStream(path)) {
      return in.readNBytes(n);
    } catch (IOException e) {
      throw wrap(path, e);
    } catch (OutOfMemoryError e) {
      throw new SceneLoadException(path, "not enough memory to read " + n + " bytes", e);
    }
  }

  /** {@code bytes} itself, after the check a file gets: an empty one is refused. */
  public static byte[] checkNotEmpty(byte[] bytes, Path path) throws SceneLoadException {
    if (bytes.length == 0) {
      throw new SceneLoadException(path, "empty file (0 bytes)");
    }
    return bytes;
  }

  /**
   * The whole content of a stream, refused past the size a file could have. The stream is read into
   * memory only: nothing is written anywhere. The caller closes the stream.
   */
  public static byte[] readAll(InputStream in, Path path) throws SceneLoadException {
    return readAll(in, path, MAX_FILE_BYTES);
  }

  static byte[] readAll(InputStream in, Path path, long maxBytes) throws SceneLoadException {
    byte[] bytes;
    try {
      // One byte past the limit tells "exactly at the limit" from "larger".
      bytes = in.readNBytes((int) Math.min(maxBytes + 1, MAX_FILE_BYTES + 1));
    } catch (IOException e) {
      throw wrap(path, e);
    } catch (OutOfMemoryError e) {
      throw new SceneLoadException(path, "not enough memory to read the stream", e);
    }
    if (bytes.length > maxBytes) {
      throw new SceneLoadException(path, "file too large (more than " + maxBytes + " bytes)");
    }
    return checkNotEmpty(bytes, path);
  }

  static SceneLoadException wrap(Path path, IOException e) {
    if (e instanceof SceneLoadException s) {
      return s;
    }
    if (e instanceof NoSuchFileException) {
      return new SceneLoadException(path, "file not found", e);
    }
    if (e instanceof AccessDeniedException) {
      return new SceneLoadException(path, "permission denied", e);
    }
    return new SceneLoadException(path, "read failed: " + describe(e), e);
  }

  /** A one-line description of a throwable: its message, or its class name when it has none. */
  public static String describe(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }

  /** Lower-case file extension without the dot, or "" when there is none. */
  public static String extension(Path path) {
    String name = path.getFileName() == null ? "" : path.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
  }
}
