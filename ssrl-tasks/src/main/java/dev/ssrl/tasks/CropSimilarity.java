package dev.ssrl.tasks;

import dev.ssrl.api.Raster;
import dev.ssrl.tasks.image.RasterOps;

/**
 * "Looks the same at a glance": the contrast-aware similarity {@link CropTask} uses to keep
 * near-identical distractors out of a sample.
 *
 * <p>Definition. Each patch is area-reduced to {@value #SIDE}×{@value #SIDE} ({@link
 * RasterOps#resize}; bilinear enlargement for patches smaller than that) and turned into integer
 * luma {@code (299 R + 587 G + 114 B + 500) / 1000}. Over the 8×8 windows at a stride of 4 (15×15
 * windows) the local SSIM of the two lumas is computed with the usual constants {@code C1 = (0.01 ·
 * 255)²}, {@code C2 = (0.03 · 255)²}; the score is the <em>smallest</em> local SSIM. So two patches
 * score high only when every part of them looks alike: a dark wing tip or a painted line in one
 * corner drives the score to about 0, while the fine grain of sky or asphalt, whose local contrast
 * sits below {@code C2} (a standard deviation of about 7.6 levels), does not count as structure.
 *
 * <p>Why this and not mean SSIM, MAD or gradient correlation: on the shared photos (study in
 * docs/baselines.md) the mean over windows rated plain-sky pairs and sky-with-a-wing pairs alike,
 * MAD let turned sky patches through at 9–15 levels, and gradient correlation scored every
 * low-texture pair near 0; the minimum local SSIM at this scale put every pair the eye calls the
 * same at 0.50–0.76 and every pair with a visible difference at 0.04 or below.
 *
 * <p>Window sums are exact integers, so the score is symmetric, exactly 1 for identical patches and
 * unchanged when both lumas are turned by the same quarter turn.
 */
final class CropSimilarity {
  /** Side of the reduced patch. */
  static final int SIDE = 64;

  static final int WINDOW = 8;
  static final int STRIDE = 4;
  private static final double C1 = (0.01 * 255) * (0.01 * 255);
  private static final double C2 = (0.03 * 255) * (0.03 * 255);

  private CropSimilarity() {}

  /** The patch reduced to {@value #SIDE}×{@value #SIDE} integer luma, row-major. */
  static int[] luma(Raster patch) {
    Raster r =
        patch.width() == SIDE && patch.height() == SIDE
            ? patch
            : RasterOps.resize(patch, 0, 0, patch.width(), patch.height(), SIDE, SIDE);
    byte[] d = r.data();
    int[] out = new int[SIDE * SIDE];
    for (int i = 0; i < out.length; i++) {
      int o = 3 * i;
      out[i] =
          (299 * (d[o] & 0xFF) + 587 * (d[o + 1] & 0xFF) + 114 * (d[o + 2] & 0xFF) + 500) / 1000;
    }
    return out;
  }

  /**
   * The smallest local SSIM of two reduced lumas ({@link #luma}), in [-1, 1].
   *
   * @throws IllegalArgumentException if either array is not {@value #SIDE}×{@value #SIDE}
   */
  static double score(int[] a, int[] b) {
    if (a.length != SIDE * SIDE || b.length != SIDE * SIDE) {
      throw new IllegalArgumentException(
          "luma must hold " + SIDE * SIDE + " values, got " + a.length + " and " + b.length);
    }
    final int n = WINDOW * WINDOW;
    final double c1 = C1 * n * n;
    final double c2 = C2 * n * n;
    double min = Double.POSITIVE_INFINITY;
    for (int y = 0; y + WINDOW <= SIDE; y += STRIDE) {
      for (int x = 0; x + WINDOW <= SIDE; x += STRIDE) {
        long sa = 0;
        long sb = 0;
        long saa = 0;
        long sbb = 0;
        long sab = 0;
        for (int j = 0; j < WINDOW; j++) {
          int row = (y + j) * SIDE + x;
          for (int i = 0; i < WINDOW; i++) {
            int va = a[row + i];
            int vb = b[row + i];
            sa += va;
            sb += vb;
            saa += (long) va * va;
            sbb += (long) vb * vb;
            sab += (long) va * vb;
          }
        }
        // n² times the means' products and the (population) variances and covariance: exact.
        long mab = sa * sb;
        long maa = sa * sa;
        long mbb = sb * sb;
        long vaa = n * saa - maa;
        long vbb = n * sbb - mbb;
        long vab = n * sab - mab;
        double l = (2.0 * mab + c1) / ((double) (maa + mbb) + c1);
        double cs = (2.0 * vab + c2) / ((double) (vaa + vbb) + c2);
        min = Math.min(min, l * cs);
      }
    }
    return min;
  }
}
