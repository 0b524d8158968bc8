package dev.ssrl.gpu;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A brute-force Java statement of the window-statistics definition (window_stats_core.cuh, which is
 * dev.ssrl.tasks.depth.WindowStats'): every window scanned pixel by pixel. Also random test maps
 * and the host harness's input/output format.
 */
final class WindowReference {
  private WindowReference() {}

  /** {min, max, count, quantized sum} of every window, row-major, as parallel arrays. */
  record Grid(float[] min, float[] max, int[] count, long[] sum) {
    Grid(int cells) {
      this(new float[cells], new float[cells], new int[cells], new long[cells]);
    }

    /** The mean as WindowStats computes it from the count and the quantized sum. */
    double mean(int c) {
      return count[c] == 0 ? Double.NaN : (sum[c] * 0x1p-32) / count[c];
    }
  }

  static Grid bruteForce(float[] map, int w, int h, int k) {
    int ow = w - k + 1;
    int oh = h - k + 1;
    Grid g = new Grid(ow * oh);
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        int n = 0;
        long sum = 0;
        for (int j = 0; j < k; j++) {
          for (int i = 0; i < k; i++) {
            float v = map[(y + j) * w + x + i];
            if (Float.isNaN(v)) {
              continue;
            }
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
            n++;
            sum += (long) Math.floor(v * 0x1p32 + 0.5);
          }
        }
        int o = y * ow + x;
        g.count()[o] = n;
        // Math.min orders -0.0 below +0.0; the definition reads -0.0 as +0.0.
        g.min()[o] = lo + 0.0f;
        g.max()[o] = hi + 0.0f;
        g.sum()[o] = sum;
      }
    }
    return g;
  }

  /**
   * A random normalised map: values in [0, 1] drawn from a few levels (so that ties and equal
   * minima occur) or uniformly, signed zeros, and NaN runs with probability {@code nanRate}.
   */
  static float[] randomMap(SplittableRandom rnd, int w, int h, double nanRate) {
    float[] m = new float[w * h];
    for (int i = 0; i < m.length; i++) {
      double u = rnd.nextDouble();
      if (u < nanRate) {
        m[i] = Float.NaN;
      } else if (u < nanRate + 0.05) {
        m[i] = rnd.nextBoolean() ? -0.0f : 0.0f;
      } else if (u < nanRate + 0.3) {
        m[i] = rnd.nextInt(8) / 7.0f;
      } else {
        m[i] = rnd.nextFloat();
      }
    }
    return m;
  }

  static byte[] harnessInput(List<float[]> maps, int w, int h, int k) {
    ByteBuffer b = ByteBuffer.allocate(16 + 4 * w * h * maps.size()).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(w).putInt(h).putInt(k).putInt(maps.size());
    for (float[] m : maps) {
      for (float v : m) {
        b.putFloat(v);
      }
    }
    return b.array();
  }

  /** Splits the harness output into one grid per map. */
  static Grid[] harnessOutput(byte[] out, int maps, int w, int h, int k) {
    int cells = (w - k + 1) * (h - k + 1);
    if (out.length != 20L * cells * maps) {
      throw new AssertionError("harness wrote " + out.length + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    Grid[] g = new Grid[maps];
    for (int m = 0; m < maps; m++) {
      g[m] = new Grid(cells);
      for (int c = 0; c < cells; c++) {
        g[m].min()[c] = b.getFloat();
        g[m].max()[c] = b.getFloat();
        g[m].count()[c] = b.getInt();
        g[m].sum()[c] = b.getLong();
      }
    }
    return g;
  }
}
