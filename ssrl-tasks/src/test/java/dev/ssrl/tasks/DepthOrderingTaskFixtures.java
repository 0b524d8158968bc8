package dev.ssrl.tasks;

import dev.ssrl.api.DepthMap;
import dev.ssrl.api.Raster;
import dev.ssrl.api.Scene;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Synthetic RGB-D scenes and independent reference computations for the depth-task tests. The
 * references are deliberately naive (sorting, brute-force windows) so they share no code with the
 * implementation under test.
 */
public final class DepthOrderingTaskFixtures {
  private DepthOrderingTaskFixtures() {}

  /**
   * A random scene: a tilted background plane, several boxes at their own depths (some slanted),
   * invalid holes written as 0, NaN or masked pixels, and an image whose colour follows the depth.
   */
  static Scene randomScene(long seed, int width, int height) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] d = new float[width * height];
    double base = 2 + 6 * r.nextDouble();
    double gx = (r.nextDouble() - 0.5) * 8 / width;
    double gy = (r.nextDouble() - 0.2) * 12 / height;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        d[y * width + x] = (float) (base + gx * x + gy * y);
      }
    }
    int boxes = 2 + r.nextInt(6);
    for (int b = 0; b < boxes; b++) {
      int bw = 15 + r.nextInt(Math.max(1, width / 2));
      int bh = 15 + r.nextInt(Math.max(1, height / 2));
      int x0 = r.nextInt(width);
      int y0 = r.nextInt(height);
      double z = 0.5 + 12 * r.nextDouble();
      double slope = r.nextBoolean() ? 0 : (r.nextDouble() - 0.5) * 0.02;
      for (int y = y0; y < Math.min(height, y0 + bh); y++) {
        for (int x = x0; x < Math.min(width, x0 + bw); x++) {
          d[y * width + x] = (float) (z + slope * (x - x0));
        }
      }
    }
    byte[] mask = r.nextBoolean() ? null : new byte[width * height];
    if (mask != null) {
      Arrays.fill(mask, (byte) 1);
    }
    int holes = r.nextInt(5);
    for (int k = 0; k < holes; k++) {
      int hw = 1 + r.nextInt(width / 3);
      int hh = 1 + r.nextInt(height / 3);
      int x0 = r.nextInt(width);
      int y0 = r.nextInt(height);
      int kind = r.nextInt(mask == null ? 2 : 3);
      for (int y = y0; y < Math.min(height, y0 + hh); y++) {
        for (int x = x0; x < Math.min(width, x0 + hw); x++) {
          int i = y * width + x;
          if (kind == 0) {
            d[i] = 0f;
          } else if (kind == 1) {
            d[i] = Float.NaN;
          } else {
            mask[i] = 0;
          }
        }
      }
    }
    // Sprinkled invalid pixels, as real sensors have.
    int specks = r.nextInt(width * height / 50 + 1);
    for (int k = 0; k < specks; k++) {
      d[r.nextInt(d.length)] = r.nextBoolean() ? 0f : Float.POSITIVE_INFINITY;
    }
    return new Scene(
        "synthetic-" + seed, rgbFor(d, width, height), DepthMap.of(width, height, d, mask));
  }

  /** An image whose pixels encode the depth (so markers are visible changes). */
  static Raster rgbFor(float[] d, int width, int height) {
    byte[] rgb = new byte[width * height * 3];
    for (int i = 0; i < d.length; i++) {
      float v = d[i];
      int g = Float.isFinite(v) ? (int) (v * 37) & 0xFF : 0;
      rgb[3 * i] = (byte) g;
      rgb[3 * i + 1] = (byte) (255 - g);
      rgb[3 * i + 2] = (byte) (i * 7);
    }
    return Raster.of(width, height, rgb);
  }

  /** A scene from explicit depth values, no mask. */
  static Scene scene(String id, int width, int height, float[] d) {
    return new Scene(id, rgbFor(d, width, height), DepthMap.of(width, height, d));
  }

  /** Type-7 percentile by sorting (the NumPy default), the reference for the normaliser. */
  public static double percentileBySorting(float[] values, int n, double p) {
    float[] s = Arrays.copyOf(values, n);
    Arrays.sort(s);
    double h = (p / 100.0) * (n - 1);
    int f = (int) Math.floor(h);
    if (f >= n - 1) {
      return s[n - 1];
    }
    return s[f] + (h - f) * ((double) s[f + 1] - s[f]);
  }

  /**
   * The normalised map recomputed from the definition: valid pixels between the given percentiles
   * map linearly to [0, 1], everything else is NaN.
   */
  public static float[] renormalize(DepthMap depth, double low, double high) {
    float[] out = new float[depth.values().length];
    for (int i = 0; i < out.length; i++) {
      double v = depth.values()[i];
      boolean valid = depth.isValid(i) && v >= low && v <= high;
      out[i] = !valid ? Float.NaN : high > low ? (float) ((v - low) / (high - low)) : 0f;
    }
    return out;
  }

  /** Brute-force statistics of one window: {min, max, count, exact mean}. */
  public static double[] window(float[] map, int width, int left, int top, int k) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0;
    int count = 0;
    for (int y = top; y < top + k; y++) {
      for (int x = left; x < left + k; x++) {
        float v = map[y * width + x];
        if (!Float.isNaN(v)) {
          min = Math.min(min, v);
          max = Math.max(max, v);
          sum += v;
          count++;
        }
      }
    }
    return new double[] {min, max, count, count == 0 ? Double.NaN : sum / count};
  }
}
