package dev.ssrl.tasks.depth;

import dev.ssrl.api.DepthMap;
import java.util.Objects;

/**
 * Resampling a depth map (values and validity mask together) to another size, as {@code Sizing}
 * does when it scales a scene into the trainer's pixel range.
 *
 * <p>Depth is resampled by nearest neighbour, never interpolated: a value between a near and a far
 * surface would be a depth that exists nowhere in the scene, and an invalid pixel (zero, NaN, ±Inf
 * or masked) must stay invalid rather than leak into its neighbours. Pixel centres map to pixel
 * centres: output pixel {@code i} of {@code m} takes source pixel {@code ⌊(2i + 1)·n / 2m⌋} of
 * {@code n}, computed in integers, so the result is the same on every machine.
 */
public final class DepthResampling {
  private DepthResampling() {}

  /**
   * {@code src} at {@code w × h} by nearest neighbour, centre to centre (class comment); the mask,
   * when there is one, moves with the values.
   *
   * @throws IllegalArgumentException if {@code w} or {@code h} is not positive
   */
  public static DepthMap nearest(DepthMap src, int w, int h) {
    Objects.requireNonNull(src, "src");
    if (w <= 0 || h <= 0) {
      throw new IllegalArgumentException("size must be positive, got " + w + "x" + h);
    }
    int sw = src.width();
    int sh = src.height();
    int[] xs = new int[w];
    for (int x = 0; x < w; x++) {
      xs[x] = (int) ((2L * x + 1) * sw / (2L * w));
    }
    float[] in = src.values();
    byte[] inMask = src.mask();
    float[] out = new float[Math.multiplyExact(w, h)];
    byte[] outMask = inMask == null ? null : new byte[w * h];
    for (int y = 0; y < h; y++) {
      int row = (int) ((2L * y + 1) * sh / (2L * h)) * sw;
      int o = y * w;
      for (int x = 0; x < w; x++) {
        out[o + x] = in[row + xs[x]];
        if (outMask != null) {
          outMask[o + x] = inMask[row + xs[x]];
        }
      }
    }
    return DepthMap.of(w, h, out, outMask);
  }
}
