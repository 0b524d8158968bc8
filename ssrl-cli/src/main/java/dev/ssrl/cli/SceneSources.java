package dev.ssrl.cli;

import dev.ssrl.api.Scene;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Lists the scenes of a generation run.
 *
 * <p>MERGE SEAM: folder pairing and loading here are the minimal RGB-only version (SPEC §1: a
 * {@code X.png} or {@code X.jpg} alone is an RGB scene; depth companions such as {@code
 * X_depth.npy} are skipped as scenes of their own). The full loader with depth pairing comes from
 * ssrl-tasks ({@code SceneFolder}/{@code SceneLoader}) and replaces {@link #folder} after the
 * merge; the built-in scenes come from {@link BuiltInScenesFallback} until then.
 */
final class SceneSources {
  private SceneSources() {}

  /**
   * The scenes of all folders in order (each folder's files sorted by name), or {@code builtIn}
   * built-in scenes when no folder is given.
   *
   * @throws UsageError if a folder does not exist or two folders hold the same scene id
   * @throws IOException if a folder cannot be listed
   */
  static List<SceneSource> list(List<Path> folders, int builtIn) throws IOException {
    if (folders.isEmpty()) {
      return BuiltInScenesFallback.builtIn(builtIn);
    }
    List<SceneSource> all = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (Path folder : folders) {
      if (!Files.isDirectory(folder)) {
        throw new UsageError("source folder " + folder + " does not exist or is not a folder");
      }
      for (SceneSource s : folder(folder)) {
        String previous = seen.putIfAbsent(s.id(), s.origin());
        if (previous != null) {
          throw new UsageError(
              "two scenes share the id '" + s.id() + "': " + previous + " and " + s.origin());
        }
        all.add(s);
      }
    }
    return all;
  }

  /** The RGB scenes of one folder, sorted by file name. */
  static List<SceneSource> folder(Path folder) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(folder)) {
      files =
          s.filter(Files::isRegularFile)
              .sorted(Comparator.comparing(p -> p.getFileName().toString()))
              .toList();
    }
    List<SceneSource> scenes = new ArrayList<>();
    for (Path f : files) {
      String name = f.getFileName().toString();
      String lower = name.toLowerCase(Locale.ROOT);
      int dot = lower.lastIndexOf('.');
      if (dot <= 0) {
        continue;
      }
      String ext = lower.substring(dot + 1);
      String stem = name.substring(0, dot);
      boolean image = ext.equals("png") || ext.equals("jpg") || ext.equals("jpeg");
      // A 16-bit depth PNG is a companion of its RGB image, never a scene itself.
      boolean companion = stem.endsWith("_depth") || stem.endsWith("_depth_mask");
      if (image && !companion) {
        scenes.add(new SceneSource(stem, f.toString(), () -> load(stem, f)));
      }
    }
    return scenes;
  }

  private static Scene load(String id, Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IOException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
    return Scene.rgbOnly(id, Jpeg.decode(bytes, file.toString()));
  }
}
