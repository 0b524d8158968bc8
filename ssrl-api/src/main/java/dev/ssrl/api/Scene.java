package dev.ssrl.api;

import java.util.Objects;
import java.util.Optional;

/**
 * One input of the generators: an RGB image and, for the depth tasks, a depth map of the same size.
 *
 * @param id stable identifier (usually the file stem); part of every sample id and seed
 * @param rgb the image
 * @param depth the depth map, or null when the scene has none
 */
public record Scene(String id, Raster rgb, DepthMap depth) {

  /**
   * @throws IllegalArgumentException if the id is blank or the depth size differs from the image
   * @throws NullPointerException if id or rgb is null
   */
  public Scene {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(rgb, "rgb");
    if (id.isBlank()) {
      throw new IllegalArgumentException("scene id must not be blank");
    }
    if (depth != null && (depth.width() != rgb.width() || depth.height() != rgb.height())) {
      throw new IllegalArgumentException(
          "scene "
              + id
              + ": depth "
              + depth.width()
              + "x"
              + depth.height()
              + " does not match image "
              + rgb.width()
              + "x"
              + rgb.height());
    }
  }

  /** An RGB-only scene. */
  public static Scene rgbOnly(String id, Raster rgb) {
    return new Scene(id, rgb, null);
  }

  /** The depth map, if any. */
  public Optional<DepthMap> depthMap() {
    return Optional.ofNullable(depth);
  }

  public boolean hasDepth() {
    return depth != null;
  }
}
