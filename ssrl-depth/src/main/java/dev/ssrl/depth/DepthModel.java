package dev.ssrl.depth;

import dev.ssrl.depth.impl.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Which model estimated a depth map: its file name and the SHA-256 of its bytes, the provenance
 * recorded with every sample made from estimated depth (the name alone could hide a changed file).
 *
 * @param fileName the model file's name, without folders (paths differ between machines)
 * @param sha256 lower-case hex SHA-256 of the file
 */
public record DepthModel(String fileName, String sha256) {
  public DepthModel {
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(sha256, "sha256");
    if (!sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits, got " + sha256);
    }
  }

  /**
   * Identifies a model file by name and content.
   *
   * @throws DepthModelException naming the file if it is missing or cannot be read
   */
  public static DepthModel of(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new DepthModelException(file, "no such file");
    }
    try {
      return new DepthModel(file.getFileName().toString(), Digest.sha256(file));
    } catch (IOException e) {
      throw new DepthModelException(file, "cannot be read (" + e + ")", e);
    }
  }

  /** {@code name sha256:hex}, the form recorded in a dataset's config. */
  @Override
  public String toString() {
    return fileName + " sha256:" + sha256;
  }
}
