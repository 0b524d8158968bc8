package dev.ssrl.spark;

import dev.ssrl.api.DepthMap;
import dev.ssrl.api.Raster;
import dev.ssrl.api.Scene;
import dev.ssrl.tasks.scene.EncodedFile;
import dev.ssrl.tasks.scene.SceneFiles;
import dev.ssrl.tasks.scene.SceneLoadException;
import dev.ssrl.tasks.scene.SceneLoader;
import dev.ssrl.tasks.synthetic.SyntheticScenes;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * Loads a listing entry into a {@link Scene} on an executor with the {@code ssrl-tasks} decoders.
 *
 * <p>Files on the local file system ({@code file:}) are decoded in place. Files on any other Hadoop
 * file system (HDFS, S3A, ...) are read through {@link FileSystem#open} into memory and decoded
 * from there ({@link EncodedFile}), under their own file names so that errors and the HDF5
 * extension fallback behave exactly as for a local file. Nothing is copied to the executor's disk:
 * no temporary file or folder is made, HDF5 included (jHDF reads the bytes in place).
 *
 * <p>The rgb path {@code synthetic:N} stands for the N-th built-in synthetic scene, the one the CLI
 * generates without a source folder.
 */
final class SceneReader {
  private SceneReader() {}

  /** Prefix of the rgb "path" of a built-in synthetic scene. */
  static final String SYNTHETIC = "synthetic:";

  /**
   * Files larger than this are refused from their status, before any byte is read: no scene file is
   * legitimately this big, and it is about the most one Java array holds.
   */
  static final long MAX_READ_BYTES = 1L << 30;

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
    Source rgb = source(e.rgb(), conf);
    Source depth = e.depth() == null ? null : source(e.depth(), conf);
    Source mask = e.mask() == null ? null : source(e.mask(), conf);
    boolean allLocal =
        rgb.local() != null
            && (depth == null || depth.local() != null)
            && (mask == null || mask.local() != null);
    if (allLocal) {
      return loader.load(
          new SceneFiles(
              e.id(),
              rgb.local(),
              depth == null ? null : depth.local(),
              mask == null ? null : mask.local()));
    }
    // In the order a folder scene is loaded (image, depth, mask; each read only once the one
    // before it has decoded), so a scene with several bad files is rejected for the same one.
    Raster image = loader.loadRgb(rgb.read());
    if (depth == null) {
      return Scene.rgbOnly(e.id(), image);
    }
    EncodedFile depthBytes = depth.read();
    EncodedFile maskBytes = null;
    if (mask != null) {
      try {
        maskBytes = mask.read();
      } catch (SceneLoadException unreadableMask) {
        // A folder scene reports a bad depth file before an unreadable mask: decode it first.
        loader.loadDepth(depthBytes, null);
        throw unreadableMask;
      }
    }
    DepthMap d = loader.loadDepth(depthBytes, maskBytes);
    return SceneLoader.scene(e.id(), image, rgb.name(), d, depthBytes.name());
  }

  /** A scene file: its local path when it is on {@code file:}, else how to read it into memory. */
  private record Source(
      Path local, FileSystem fs, org.apache.hadoop.fs.Path qualified, String name) {

    /**
     * The whole file as bytes through the file system's stream; also used for a {@code file:}
     * partner of a remote file (a mixed listing), so that both report errors alike.
     */
    EncodedFile read() throws SceneLoadException {
      try {
        FileStatus st = fs.getFileStatus(qualified);
        if (st.isDirectory()) {
          throw new SceneLoadException(Path.of(name), "is a directory, not a file");
        }
        if (st.getLen() > MAX_READ_BYTES) {
          throw new SceneLoadException(Path.of(name), "file too large (" + st.getLen() + " bytes)");
        }
        try (InputStream in = fs.open(qualified)) {
          return EncodedFile.read(name, in);
        }
      } catch (FileNotFoundException ex) {
        throw new SceneLoadException(Path.of(name), "file not found", ex);
      } catch (SceneLoadException ex) {
        throw ex;
      } catch (IOException ex) {
        throw new SceneLoadException(Path.of(name), "read failed: " + describe(ex), ex);
      }
    }
  }

  private static Source source(String file, Configuration conf) throws IOException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(file);
    FileSystem fs = p.getFileSystem(conf);
    org.apache.hadoop.fs.Path q = fs.makeQualified(p);
    if ("file".equals(fs.getScheme())) {
      Path local = Path.of(q.toUri());
      return new Source(local, fs, q, local.toString());
    }
    return new Source(null, fs, q, p.getName().isEmpty() ? "file" : p.getName());
  }

  static String describe(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }
}
