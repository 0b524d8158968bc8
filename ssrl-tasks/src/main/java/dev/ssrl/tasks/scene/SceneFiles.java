package dev.ssrl.tasks.scene;

import dev.ssrl.api.Scene;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The files of one scene, found by {@link SceneFolder#scan} or built by hand; nothing is read until
 * {@link #load()}.
 *
 * @param id the scene id (normally the RGB file's stem)
 * @param rgb the JPEG or PNG image
 * @param depth the depth file, or null for an RGB-only scene
 * @param mask the depth validity mask, or null for none
 */
public record SceneFiles(String id, Path rgb, Path depth, Path mask) {

  /**
   * @throws NullPointerException if id or rgb is null
   * @throws IllegalArgumentException if the id is blank, or a mask is given without depth
   */
  public SceneFiles {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(rgb, "rgb");
    if (id.isBlank()) {
      throw new IllegalArgumentException("scene id must not be blank");
    }
    if (mask != null && depth == null) {
      throw new IllegalArgumentException("scene " + id + ": a mask needs a depth file");
    }
  }

  /** An RGB-only scene. */
  public static SceneFiles rgbOnly(String id, Path rgb) {
    return new SceneFiles(id, rgb, null, null);
  }

  /** Whether the scene has a depth file. */
  public boolean hasDepth() {
    return depth != null;
  }

  /** The depth file, if any. */
  public Optional<Path> depthFile() {
    return Optional.ofNullable(depth);
  }

  /** The mask file, if any. */
  public Optional<Path> maskFile() {
    return Optional.ofNullable(mask);
  }

  /**
   * Loads the scene with {@link SceneLoader#defaults()}.
   *
   * @throws SceneLoadException as {@link SceneLoader#load(SceneFiles)}
   */
  public Scene load() throws SceneLoadException {
    return SceneLoader.defaults().load(this);
  }

  /**
   * Loads the scene with the given loader.
   *
   * @throws SceneLoadException as {@link SceneLoader#load(SceneFiles)}
   */
  public Scene load(SceneLoader loader) throws SceneLoadException {
    return loader.load(this);
  }
}
