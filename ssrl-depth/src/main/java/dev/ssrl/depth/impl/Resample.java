package dev.ssrl.depth.impl;

/**
 * Separable resampling of float planes, centre to centre ({@code align_corners=False}).
 *
 * <p>Two filters: Keys' cubic with {@code a = -0.5} widened by the scale when shrinking
 * (antialiased, as Pillow's BICUBIC, which the Hugging Face processors of Depth Anything use for
 * the model input), and the triangle (bilinear, also widened when shrinking) for the model output:
 * a triangle never leaves the range of its inputs, so an inverse depth that is positive stays
 * positive after resizing, where a cubic would overshoot at edges. All arithmetic is in float and
 * double in a fixed order, so a result depends on the inputs only.
 */
public final class Resample {
  private Resample() {}

  /** The filter of a resampling. */
  public enum Filter {
    BICUBIC(2.0),
    BILINEAR(1.0);

    final double support;

    Filter(double support) {
      this.support = support;
    }

    double weight(double x) {
      x = Math.abs(x);
      if (this == BILINEAR) {
        return x < 1.0 ? 1.0 - x : 0.0;
      }
      final double a = -0.5;
      if (x < 1.0) {
        return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0;
      }
      if (x < 2.0) {
        return (((x - 5.0) * x + 8.0) * x - 4.0) * a;
      }
      return 0.0;
    }
  }

  /**
   * Resizes a {@code w × h} plane (row-major) to {@code nw × nh}.
   *
   * @return a new array of {@code nw * nh} values
   */
  public static float[] resize(float[] src, int w, int h, int nw, int nh, Filter filter) {
    if (src.length != (long) w * h || w <= 0 || h <= 0 || nw <= 0 || nh <= 0) {
      throw new IllegalArgumentException(
          "resize " + w + "x" + h + " (" + src.length + " values) to " + nw + "x" + nh);
    }
    float[] rows = new float[nw * h];
    Taps tx = Taps.of(w, nw, filter);
    for (int y = 0; y < h; y++) {
      int base = y * w;
      for (int x = 0; x < nw; x++) {
        double s = 0;
        int first = tx.first[x];
        int off = x * tx.width;
        for (int k = 0; k < tx.count[x]; k++) {
          s += tx.weights[off + k] * src[base + first + k];
        }
        rows[y * nw + x] = (float) s;
      }
    }
    float[] out = new float[nw * nh];
    Taps ty = Taps.of(h, nh, filter);
    for (int y = 0; y < nh; y++) {
      int first = ty.first[y];
      int off = y * ty.width;
      for (int x = 0; x < nw; x++) {
        double s = 0;
        for (int k = 0; k < ty.count[y]; k++) {
          s += ty.weights[off + k] * rows[(first + k) * nw + x];
        }
        out[y * nw + x] = (float) s;
      }
    }
    return out;
  }

  /** Per output position: the first input index, the number of taps and their weights (sum 1). */
  private record Taps(int[] first, int[] count, double[] weights, int width) {
    static Taps of(int in, int out, Filter filter) {
      double scale = (double) in / out;
      // Shrinking widens the filter by the scale so that every input pixel contributes (antialias).
      double stretch = Math.max(1.0, scale);
      double support = filter.support * stretch;
      int width = (int) Math.ceil(support) * 2 + 1;
      int[] first = new int[out];
      int[] count = new int[out];
      double[] weights = new double[out * width];
      for (int i = 0; i < out; i++) {
        double centre = (i + 0.5) * scale;
        int lo = Math.max(0, (int) Math.floor(centre - support + 0.5));
        int hi = Math.min(in, (int) Math.floor(centre + support + 0.5));
        double total = 0;
        int n = Math.min(hi - lo, width);
        for (int k = 0; k < n; k++) {
          double wgt = filter.weight((lo + k + 0.5 - centre) / stretch);
          weights[i * width + k] = wgt;
          total += wgt;
        }
        if (total == 0) {
          // Cannot happen for these filters (the nearest tap has weight > 0); kept exact anyway.
          throw new IllegalStateException("no filter taps at output " + i);
        }
        for (int k = 0; k < n; k++) {
          weights[i * width + k] /= total;
        }
        first[i] = lo;
        count[i] = n;
      }
      return new Taps(first, count, weights, width);
    }
  }
}
