package dev.ssrl.depth;

import dev.ssrl.depth.impl.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which model estimated a depth map: its file name and the SHA-256 of its bytes, the provenance
 * recorded with every sample made from estimated depth (the name alone could hide a changed file).
 *
 * @param fileName the model file's name, without folders (paths differ between machines)
 * @param sha256 lower-case hex SHA-256 of the file
 */
public record DepthModel(String fileName, String sha256) {
  /** Metadata key of where a sample's depth came from; its value is {@value #ESTIMATED}. */
  public static final String SOURCE_KEY = "depthSource";

  /** The {@value #SOURCE_KEY} of samples made from estimated depth. */
  public static final String ESTIMATED = "estimated";

  /** Metadata key of the model file's name. */
  public static final String MODEL_KEY = "depthModel";

  /** Metadata key of the model file's SHA-256. */
  public static final String SHA256_KEY = "depthModelSha256";

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

  /**
   * The provenance a sample made from this model's depth carries in its metadata, in this order:
   * {@value #SOURCE_KEY} {@value #ESTIMATED}, {@value #MODEL_KEY}, {@value #SHA256_KEY}. Samples
   * from sensor depth carry none of these keys (their metadata is what it always was).
   */
  public Map<String, Object> metadata() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(SOURCE_KEY, ESTIMATED);
    m.put(MODEL_KEY, fileName);
    m.put(SHA256_KEY, sha256);
    return Collections.unmodifiableMap(m);
  }

  /** {@code name sha256:hex}, the form recorded in a dataset's config. */
  @Override
  public String toString() {
    return fileName + " sha256:" + sha256;
  }
}
