package dev.ssrl.tasks.scene;

import dev.ssrl.tasks.scene.impl.SceneBytes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Finds the scenes in one folder (not its subfolders) by file name, without reading any pixels.
 *
 * <p>Every {@code .jpg}, {@code .jpeg} or {@code .png} file (any letter case) is a scene, except
 * depth and mask images ({@code *_depth.png}, {@code *_depth_mask.png}, or an image name ending in
 * another format's paired suffix), which are never scenes themselves. For an image with stem {@code
 * X} the depth file is the first that exists of the {@linkplain DepthFormat#pairedSuffixes() paired
 * names} of the {@linkplain DepthFormats#all() depth formats}, in their order:
 *
 * <ol>
 *   <li>{@code X_depth.npy} (DIODE), with mask {@code X_depth_mask.npy} when present;
 *   <li>{@code X.h5}, then {@code X_depth.h5} (MegaDepth);
 *   <li>{@code X_depth.png} (NYUv2, TUM, ScanNet; 16-bit);
 *   <li>{@code X.pfm}, then {@code X_depth.pfm} (Middlebury);
 *   <li>those of formats added on the class path, by format name.
 * </ol>
 *
 * A mask ({@code X_depth_mask.npy}, else {@code X_depth_mask.png}) is paired whenever a depth file
 * is. An image without any is an RGB-only scene; depth files without an image are ignored. The id
 * is the stem {@code X}; when two images share a stem (e.g. {@code X.jpg} and {@code X.png}) both
 * are listed with their full file name as id, so that ids stay unique. Hidden files (starting with
 * a dot) are skipped. The list is sorted by id (then file name) in code-point order, so it is the
 * same on every machine.
 *
 * <p>Names are taken as {@link FileNames#display} shows them, in every locale: {@code café.png} has
 * the id {@code café} under {@code LC_ALL=C} as under UTF-8, and a name with bytes that are not
 * UTF-8 gets them as {@code \xNN} in its id; the paths are those of the directory listing, so such
 * files are read, never reported missing.
 */
public final class SceneFolder {
  private SceneFolder() {}

  private static final List<String> MASK_SUFFIXES = List.of("_depth_mask.npy", "_depth_mask.png");

  /**
   * Lists the scenes in {@code dir}.
   *
   * @throws SceneLoadException if {@code dir} is not an existing, readable directory
   */
  public static List<SceneFiles> scan(Path dir) throws SceneLoadException {
    if (!Files.isDirectory(dir)) {
      throw new SceneLoadException(
          dir, Files.exists(dir) ? "not a directory" : "directory not found");
    }
    // The listing's own Path objects are kept: a name turned into a String and back (resolve)
    // names another file, or none, when the locale cannot spell it (FileNames).
    TreeMap<String, Path> files = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String name = FileNames.displayName(p);
        if (name.startsWith(".") || !Files.isRegularFile(p)) {
          continue;
        }
        if (files.putIfAbsent(name, p) != null) {
          throw new SceneLoadException(
              dir,
              "two files show as '"
                  + name
                  + "' (one name holds bytes that are not UTF-8, shown as \\xNN); rename one");
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      if (e instanceof SceneLoadException s) {
        throw s;
      }
      throw new SceneLoadException(dir, "cannot list directory: " + SceneBytes.describe(e), e);
    }
    return pairFiles(files);
  }

  /**
   * Pairs the given file names as {@link #scan} pairs the files of a folder, without touching any
   * file system: for folders that {@code java.nio} cannot list (HDFS, S3, ...), whose names the
   * caller listed itself. Names starting with a dot are skipped; the paths of the result are {@code
   * dir.resolve(name)}.
   *
   * @param dir the folder the names belong to (never read)
   * @param fileNames plain file names (no folders), in any order
   * @throws NullPointerException if an argument is null
   */
  public static List<SceneFiles> pair(Path dir, java.util.Collection<String> fileNames) {
    java.util.Objects.requireNonNull(dir, "dir");
    TreeMap<String, Path> files = new TreeMap<>();
    for (String n : fileNames) {
      if (!n.startsWith(".")) {
        files.putIfAbsent(n, dir.resolve(n));
      }
    }
    return pairFiles(files);
  }

  /** Pairs files given by shown name (the key, which ids are made of) and path. */
  private static List<SceneFiles> pairFiles(TreeMap<String, Path> files) {
    Set<String> names = files.keySet();
    TreeMap<String, List<String>> byStem = new TreeMap<>();
    for (String n : names) {
      if (isRgbName(n)) {
        byStem.computeIfAbsent(stem(n), k -> new ArrayList<>()).add(n);
      }
    }
    List<SceneFiles> out = new ArrayList<>();
    for (var e : byStem.entrySet()) {
      String stem = e.getKey();
      Path depth = first(files, DepthFormats.pairedSuffixes(), stem);
      Path mask = depth == null ? null : first(files, MASK_SUFFIXES, stem);
      boolean shared = e.getValue().size() > 1;
      for (String n : e.getValue()) {
        out.add(new SceneFiles(shared ? n : stem, files.get(n), depth, mask));
      }
    }
    out.sort(
        Comparator.comparing(SceneFiles::id).thenComparing(f -> FileNames.displayName(f.rgb())));
    return List.copyOf(out);
  }

  static boolean isRgbName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    boolean image = lower.endsWith(".jpg") || lower.endsWith(".jpeg") || lower.endsWith(".png");
    if (!image || stem(name).isEmpty()) {
      return false;
    }
    // A depth or mask image (X_depth.png) is never a scene itself.
    for (String suffix : DepthFormats.pairedSuffixes()) {
      if (lower.endsWith(suffix.toLowerCase(Locale.ROOT))) {
        return false;
      }
    }
    for (String suffix : MASK_SUFFIXES) {
      if (lower.endsWith(suffix)) {
        return false;
      }
    }
    return true;
  }

  static String stem(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }

  private static Path first(TreeMap<String, Path> files, List<String> suffixes, String stem) {
    for (String suffix : suffixes) {
      Path candidate = files.get(stem + suffix);
      if (candidate != null) {
        return candidate;
      }
    }
    return null;
  }
}
