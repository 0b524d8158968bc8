package dev.ssrl.spark;

import java.io.Serializable;
import java.util.Objects;

/**
 * One scene of a listing: the files that make it, as Hadoop paths or URIs ({@code /data/x.jpg},
 * {@code hdfs://nn/x.jpg}, {@code s3a://bucket/x.jpg}, ...).
 *
 * @param id the scene id, part of every sample id and seed
 * @param rgb the JPEG or PNG image
 * @param depth the depth map (.npy, .h5, 16-bit PNG, PFM), or null for an RGB-only scene
 * @param mask the depth validity mask, or null for none
 */
public record SceneEntry(String id, String rgb, String depth, String mask) implements Serializable {

  /**
   * @throws NullPointerException if id or rgb is null
   * @throws IllegalArgumentException if id or rgb is blank, the id cannot be part of a file name
   *     (see docs/spark.md), or a mask is given without depth
   */
  public SceneEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(rgb, "rgb");
    if (id.isBlank() || rgb.isBlank()) {
      throw new IllegalArgumentException("scene id and rgb path must not be blank");
    }
    String bad = SceneListing.idProblem(id);
    if (bad != null) {
      throw new IllegalArgumentException(bad);
    }
    if (mask != null && depth == null) {
      throw new IllegalArgumentException("scene " + id + ": a mask needs a depth file");
    }
  }

  /** An RGB-only scene. */
  public static SceneEntry rgbOnly(String id, String rgb) {
    return new SceneEntry(id, rgb, null, null);
  }
}
