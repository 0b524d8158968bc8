package dev.ssrl.tasks.depth;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Quantized window sums ({@link WindowStats#quantizedSum}) of one map, for any window size, on
 * demand: the first {@value #DIRECT_SUMS} directly from the map (k² additions each), later ones
 * from a 64-bit integral image built on first need (wrap-around arithmetic, exact for window sums
 * whatever the image size), so every window costs O(1) amortised. The tasks ask for a handful of
 * means (and the position task's fallback for every candidate's), so this saves building, and
 * allocating 8 bytes per pixel for, an integral image that is hardly read. Thread-safe; keeps a
 * reference to the map, which must not change afterwards.
 */
final class WindowSums {
  /** How many window sums are added up directly before the integral image is built. */
  static final int DIRECT_SUMS = 64;

  private final float[] map;
  private final int width;
  private final int height;
  private final AtomicInteger directSums = new AtomicInteger();
  private volatile long[] integral;

  WindowSums(float[] map, int width, int height) {
    this.map = map;
    this.width = width;
    this.height = height;
  }

  /**
   * The exact sum of {@link WindowStats#quantize}d valid values of the k × k window with top-left
   * (x, y), which the caller has checked lies inside the map.
   */
  // kept: BoofCV IntegralImageOps (over a quantized GrayS64 copy) is 1.7-2.8x slower for the
  // tasks' few dozen means and mixed (0.65-1.9x) for all windows, docs/BENCHMARKS.md
  long sum(int x, int y, int k) {
    long[] image = integral;
    if (image == null && directSums.incrementAndGet() <= DIRECT_SUMS) {
      long total = 0;
      for (int r = y; r < y + k; r++) {
        int row = r * width;
        for (int c = x; c < x + k; c++) {
          float v = map[row + c];
          if (v == v) {
            total += WindowStats.quantize(v);
          }
        }
      }
      return total;
    }
    if (image == null) {
      image = integralImage();
    }
    int s = width + 1;
    int a = y * s + x;
    int b = (y + k) * s + x;
    return image[b + k] - image[a + k] - image[b] + image[a];
  }

  /** The integral image of q(v), built on first use (the same array whichever thread wins). */
  private synchronized long[] integralImage() {
    if (integral != null) {
      return integral;
    }
    int stride = width + 1;
    long[] image = new long[stride * (height + 1)];
    for (int y = 0; y < height; y++) {
      long rowSum = 0;
      int src = y * width;
      int up = y * stride + 1;
      int here = up + stride;
      for (int x = 0; x < width; x++) {
        float v = map[src + x];
        if (v == v) {
          rowSum += WindowStats.quantize(v);
        }
        image[here + x] = image[up + x] + rowSum;
      }
    }
    integral = image;
    return image;
  }
}
