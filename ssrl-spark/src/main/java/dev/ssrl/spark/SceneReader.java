package dev.ssrl.spark;

import dev.ssrl.api.Scene;
import dev.ssrl.tasks.scene.SceneFiles;
import dev.ssrl.tasks.scene.SceneLoadException;
import dev.ssrl.tasks.scene.SceneLoader;
import dev.ssrl.tasks.synthetic.SyntheticScenes;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * Loads a listing entry into a {@link Scene} on an executor with the {@code ssrl-tasks} decoders.
 *
 * <p>Files on the local file system ({@code file:}) are decoded in place. Files on any other Hadoop
 * file system are first copied, under their own file names, into a private temporary folder of the
 * executor and decoded from there: the decoders (and jHDF for HDF5) read {@code java.nio} paths and
 * sniff formats by content with the extension as fallback, so a copy with the same name behaves
 * exactly as the original. The copy is deleted right after decoding.
 *
 * <p>The rgb path {@code synthetic:N} stands for the N-th built-in synthetic scene, the one the CLI
 * generates without a source folder.
 */
final class SceneReader {
  private SceneReader() {}

  /** Prefix of the rgb "path" of a built-in synthetic scene. */
  static final String SYNTHETIC = "synthetic:";

  /** Files larger than this are refused before copying: no scene file is legitimately this big. */
  static final long MAX_COPY_BYTES = 1L << 30;

  static Scene load(SceneEntry e, Configuration conf, SceneLoader loader) throws IOException {
    if (e.rgb().startsWith(SYNTHETIC)) {
      int index = Integer.parseInt(e.rgb().substring(SYNTHETIC.length()));
      Scene s =
          SyntheticScenes.scene(
              SyntheticScenes.BUILT_IN_SEED,
              index,
              SyntheticScenes.BUILT_IN_WIDTH,
              SyntheticScenes.BUILT_IN_HEIGHT);
      return e.id().equals(s.id()) ? s : new Scene(e.id(), s.rgb(), s.depth());
    }
    try (Staging staging = new Staging(conf)) {
      return loader.load(
          new SceneFiles(
              e.id(), staging.local(e.rgb()), staging.local(e.depth()), staging.local(e.mask())));
    }
  }

  /** Local paths of scene files, copying remote ones into one temporary folder made on demand. */
  private static final class Staging implements AutoCloseable {
    private final Configuration conf;
    private Path dir;

    Staging(Configuration conf) {
      this.conf = conf;
    }

    Path local(String file) throws IOException {
      if (file == null) {
        return null;
      }
      Path p = SceneReader.local(file, conf, null);
      if (p != null) {
        return p;
      }
      if (dir == null) {
        dir = Files.createTempDirectory("ssrl-scene-");
      }
      return SceneReader.local(file, conf, dir);
    }

    @Override
    public void close() {
      if (dir != null) {
        deleteTree(dir);
      }
    }
  }

  /**
   * The file as a local path: itself when it is on the local file system, else (when {@code copyTo}
   * is given) a copy in {@code copyTo}, else null.
   */
  private static Path local(String file, Configuration conf, Path copyTo) throws IOException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(file);
    FileSystem fs = p.getFileSystem(conf);
    org.apache.hadoop.fs.Path q = fs.makeQualified(p);
    Path name = Path.of(p.getName().isEmpty() ? "file" : p.getName());
    if ("file".equals(fs.getScheme())) {
      return Path.of(q.toUri());
    }
    if (copyTo == null) {
      return null;
    }
    Path target = copyTo.resolve(name);
    if (Files.exists(target)) {
      // Two files of one scene with the same name in different folders: keep both names intact.
      target = Files.createTempDirectory(copyTo, "f").resolve(name);
    }
    try {
      FileStatus st = fs.getFileStatus(q);
      if (st.isDirectory()) {
        throw new SceneLoadException(name, "is a directory, not a file");
      }
      if (st.getLen() > MAX_COPY_BYTES) {
        throw new SceneLoadException(name, "file too large (" + st.getLen() + " bytes)");
      }
      try (InputStream in = fs.open(q)) {
        Files.copy(in, target);
      }
    } catch (FileNotFoundException ex) {
      throw new SceneLoadException(name, "file not found", ex);
    } catch (SceneLoadException ex) {
      throw ex;
    } catch (IOException ex) {
      throw new SceneLoadException(name, "read failed: " + describe(ex), ex);
    }
    return target;
  }

  static String describe(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    } catch (IOException ignored) {
      // A leftover in the executor's temporary folder is harmless; the scene result is not.
    }
  }
}
