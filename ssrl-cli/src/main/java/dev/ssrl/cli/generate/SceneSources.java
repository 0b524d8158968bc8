package dev.ssrl.cli.generate;

import dev.ssrl.cli.common.UsageError;
import dev.ssrl.depth.DepthEstimator;
import dev.ssrl.tasks.scene.FileNames;
import dev.ssrl.tasks.scene.SceneFiles;
import dev.ssrl.tasks.scene.SceneFolder;
import dev.ssrl.tasks.synthetic.SyntheticScenes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lists the scenes of a generation run: the scene folders given on the command line, paired by
 * ssrl-tasks' {@link SceneFolder} (SPEC §1: DIODE, MegaDepth, NYU/TUM, Middlebury and plain RGB),
 * or the built-in synthetic RGB-D scenes when no folder is given.
 */
public final class SceneSources {
  private SceneSources() {}

  /**
   * The scenes of all folders in order (each folder's scenes sorted by id), or the first {@code
   * builtIn} built-in synthetic scenes when no folder is given. Nothing is loaded here: each source
   * loads its scene when a worker needs it.
   *
   * @throws UsageError if a folder does not exist or two folders hold the same scene id
   * @throws IOException if a folder cannot be listed
   */
  static List<SceneSource> list(List<Path> folders, int builtIn) throws IOException {
    return list(folders, builtIn, null);
  }

  /**
   * As {@link #list(List, int)}; with an estimator, a folder scene without a depth file gets the
   * estimator's depth when it is loaded (the built-in scenes have depth of their own).
   */
  static List<SceneSource> list(List<Path> folders, int builtIn, DepthEstimator estimator)
      throws IOException {
    if (folders.isEmpty()) {
      return builtIn(builtIn);
    }
    List<SceneSource> all = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (Path folder : folders) {
      if (!Files.isDirectory(folder)) {
        throw new UsageError("source folder " + folder + " does not exist or is not a folder");
      }
      for (SceneSource s : folder(folder, estimator)) {
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

  /** The scenes of one folder, sorted by id; loading errors surface when a scene is loaded. */
  static List<SceneSource> folder(Path folder) throws IOException {
    return folder(folder, null);
  }

  /** As {@link #folder(Path)}, estimating the depth of scenes without a depth file if given. */
  static List<SceneSource> folder(Path folder, DepthEstimator estimator) throws IOException {
    List<SceneSource> scenes = new ArrayList<>();
    for (SceneFiles f : SceneFolder.scan(folder)) {
      // The loaded scene carries the id into sample ids (and so file names): give it the
      // writable one too.
      SceneFiles w = new SceneFiles(writableId(f.id()), f.rgb(), f.depth(), f.mask());
      String origin = FileNames.display(f.rgb());
      if (estimator != null && f.depth() == null) {
        // Sensor depth always wins: only a scene without a depth file is estimated, in the worker
        // that loads it (the estimator is shared and thread-safe).
        scenes.add(
            new SceneSource(
                w.id(), origin, () -> estimator.complete(w.load()), w, estimator.model()));
      } else {
        scenes.add(new SceneSource(w.id(), origin, w::load, w, null));
      }
    }
    return scenes;
  }

  /**
   * The scene id, made writable as part of an output file name ({@code images/<task>/<id>-...}) in
   * this locale: each character the JVM cannot put in a file name here (under {@code LC_ALL=C},
   * everything outside ASCII: Java then refuses {@code café} as a path) becomes its UTF-8 bytes as
   * {@code \xNN}. Under a UTF-8 locale every id is kept as it is, so outputs there are the same as
   * before; under C, {@code café} becomes {@code caf\xc3\xa9}.
   */
  static String writableId(String id) {
    if (writable(id)) {
      return id;
    }
    StringBuilder sb = new StringBuilder();
    id.codePoints()
        .forEach(
            cp -> {
              String c = new String(Character.toChars(cp));
              if (writable(c)) {
                sb.append(c);
              } else {
                for (byte b : c.getBytes(StandardCharsets.UTF_8)) {
                  sb.append(String.format(Locale.ROOT, "\\x%02x", b & 0xFF));
                }
              }
            });
    return sb.toString();
  }

  private static boolean writable(String name) {
    try {
      return Path.of(name).toString().equals(name);
    } catch (InvalidPathException e) {
      return false;
    }
  }

  /**
   * The built-in synthetic scenes {@code synthetic-0000} … of {@link SyntheticScenes}, rendered
   * lazily so that a run holds only the scenes in progress.
   */
  public static List<SceneSource> builtIn(int n) {
    if (n < 0) {
      throw new UsageError("number of built-in scenes must be >= 0, got " + n);
    }
    List<SceneSource> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int index = i;
      String id = String.format(Locale.ROOT, "synthetic-%04d", i);
      list.add(
          new SceneSource(
              id,
              "builtin:" + i,
              () ->
                  SyntheticScenes.scene(
                      SyntheticScenes.BUILT_IN_SEED,
                      index,
                      SyntheticScenes.BUILT_IN_WIDTH,
                      SyntheticScenes.BUILT_IN_HEIGHT)));
    }
    return list;
  }
}
