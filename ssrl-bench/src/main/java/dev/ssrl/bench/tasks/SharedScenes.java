package dev.ssrl.bench.tasks;

import dev.ssrl.tasks.scene.SceneFiles;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the real scenes in {@code ../shared/data} (override with {@code -Dssrl.shared=DIR}). */
final class SharedScenes {
  private SharedScenes() {}

  static Path root() {
    Path p = Path.of(System.getProperty("ssrl.shared", "../shared")).resolve("data");
    if (!Files.isDirectory(p)) {
      throw new IllegalStateException(
          "benchmarks need the shared data at "
              + p.toAbsolutePath()
              + "; run from the repository root or pass -Dssrl.shared=DIR");
    }
    return p;
  }

  static SceneFiles files(String name) {
    Path rgbd = root().resolve("rgbd");
    Path rgb = root().resolve("rgb");
    switch (name) {
      case "diode-1":
        return new SceneFiles(
            name,
            rgbd.resolve("diode-1.png"),
            rgbd.resolve("diode-1_depth.npy"),
            rgbd.resolve("diode-1_depth_mask.npy"));
      case "megadepth-1":
      case "megadepth-2":
        return new SceneFiles(name, rgbd.resolve(name + ".jpg"), rgbd.resolve(name + ".h5"), null);
      case "scene-1":
        return SceneFiles.rgbOnly(name, rgb.resolve("scene-1.png"));
      default:
        throw new IllegalArgumentException("unknown scene " + name);
    }
  }
}
