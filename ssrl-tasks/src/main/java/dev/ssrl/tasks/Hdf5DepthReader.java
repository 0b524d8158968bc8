package dev.ssrl.tasks;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code depth} dataset of an HDF5 file (MegaDepth layout) with jHDF: a 2-D array, or 3-D
 * with a trailing axis of 1, of any numeric type; chunked and gzip-compressed storage is handled by
 * jHDF. Float values are taken as they are; integer values are multiplied by {@code integerScale}.
 */
final class Hdf5DepthReader {
  private Hdf5DepthReader() {}

  static final String DATASET = "depth";

  static boolean isHdf5(byte[] head) {
    byte[] sig = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1A, '\n'};
    if (head.length < sig.length) {
      return false;
    }
    for (int i = 0; i < sig.length; i++) {
      if (head[i] != sig[i]) {
        return false;
      }
    }
    return true;
  }

  /** Width, height and row-major values. */
  record Hdf5Depth(int width, int height, float[] values) {}

  static Hdf5Depth read(Path path, long maxPixels, double integerScale) throws SceneLoadException {
    SceneBytes.checkReadable(path);
    try (HdfFile file = new HdfFile(path)) {
      Node node = file.getChild(DATASET);
      if (!(node instanceof Dataset ds)) {
        List<String> present = new ArrayList<>();
        collectDatasets(file, present);
        present.sort(null);
        throw new SceneLoadException(
            path,
            "HDF5 file has no '"
                + DATASET
                + "' dataset at its root; datasets present: "
                + (present.isEmpty() ? "(none)" : String.join(", ", present)));
      }
      long[] dims = ds.getDimensionsAsLong();
      boolean twoD = dims.length == 2 || (dims.length == 3 && dims[2] == 1);
      if (!twoD) {
        throw new SceneLoadException(
            path,
            "dataset '"
                + DATASET
                + "' has shape "
                + java.util.Arrays.toString(dims)
                + " (expected [H, W] or [H, W, 1])");
      }
      long h = dims[0];
      long w = dims[1];
      if (h <= 0 || w <= 0) {
        throw new SceneLoadException(path, "dataset '" + DATASET + "' is empty");
      }
      if (h * w > maxPixels) {
        throw new SceneLoadException(
            path,
            "depth "
                + w
                + "x"
                + h
                + " exceeds the pixel budget of "
                + maxPixels
                + "; refused before reading");
      }
      Class<?> type = ds.getJavaType();
      if (!type.isPrimitive() || type == boolean.class || type == char.class) {
        throw new SceneLoadException(
            path, "dataset '" + DATASET + "' has non-numeric type " + type.getSimpleName());
      }
      Object flat = ds.getDataFlat();
      int n = (int) (h * w);
      if (Array.getLength(flat) != n) {
        throw new SceneLoadException(
            path, "dataset '" + DATASET + "' returned " + Array.getLength(flat) + " values");
      }
      float[] values;
      if (flat instanceof float[] f) {
        values = f;
      } else {
        values = new float[n];
        boolean integral = !(flat instanceof double[]);
        for (int i = 0; i < n; i++) {
          double v = ((Number) Array.get(flat, i)).doubleValue();
          values[i] = (float) (integral ? v * integerScale : v);
        }
      }
      return new Hdf5Depth((int) w, (int) h, values);
    } catch (SceneLoadException e) {
      throw e;
    } catch (RuntimeException e) {
      // jHDF reports corrupt or truncated files with unchecked HdfException.
      throw new SceneLoadException(path, "cannot read HDF5 file: " + SceneBytes.describe(e), e);
    } catch (OutOfMemoryError e) {
      throw new SceneLoadException(path, "not enough memory to read the depth dataset", e);
    }
  }

  private static void collectDatasets(Group g, List<String> out) {
    for (Node child : g.getChildren().values()) {
      if (child instanceof Dataset) {
        out.add(child.getPath());
      } else if (child instanceof Group sub && !child.isLink()) {
        collectDatasets(sub, out);
      }
    }
  }
}
