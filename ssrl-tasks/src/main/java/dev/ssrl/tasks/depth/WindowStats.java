package dev.ssrl.tasks.depth;

import dev.ssrl.tasks.impl.Parallel;
import java.util.Objects;

/**
 * Statistics of every {@code k × k} window of a normalised depth map: minimum, maximum, number of
 * valid pixels and mean, each in O(1) amortised time per pixel.
 *
 * <p>Input: a row-major {@code width × height} map whose values are NaN (invalid) or in [0, 1], as
 * {@link DepthNormalizer} produces. A window is identified by its top-left corner (x, y) with
 * {@code 0 <= x <= width - k} and {@code 0 <= y <= height - k}; there are {@link #columns()} ×
 * {@link #rows()} of them (none when k exceeds a side).
 *
 * <p>Results, defined exactly so that other implementations (the GPU module) can match them bit for
 * bit:
 *
 * <ul>
 *   <li>{@link #min}/{@link #max}: the smallest/largest valid value in the window as a float;
 *       {@code +Infinity}/{@code -Infinity} when the window has no valid pixel. (Computed with the
 *       separable passes, rows by doubling and columns by van Herk/Gil-Werman, NaN read as +Inf for
 *       the minimum and -Inf for the maximum; min and max are exact, so the algorithm does not
 *       affect the result. A {@code -0.0} input is read as {@code +0.0}, so a zero extreme is
 *       always {@code +0.0}.)
 *   <li>{@link #count}: the number of valid (non-NaN) pixels (separable sliding sums, computed for
 *       every window up front).
 *   <li>{@link #quantizedSum}: the sum over valid pixels of {@code q(v) = (long) Math.floor(v *
 *       2^32 + 0.5)} (v widened to double; the product is exact), as a 64-bit integer. Integer sums
 *       do not depend on the order of addition, which is what makes a parallel implementation
 *       reproduce them exactly. They are computed on demand: the first few directly from the map,
 *       later ones from a 64-bit integral image built on first need (wrap-around arithmetic, exact
 *       for window sums whatever the image size), so every window costs O(1) amortised.
 *   <li>{@link #mean}: {@code (quantizedSum * 2^-32) / count} in double (IEEE, correctly rounded
 *       division); NaN when the count is 0. It differs from the exact mean of the floats by at most
 *       2^-33.
 * </ul>
 *
 * <p>The passes over rows and window rows are split over idle cores ({@code ssrl.parallel}); the
 * results are the same either way. Instances are immutable (their sums are filled in lazily and
 * safely) and thread-safe.
 */
public final class WindowStats {
  /** The fixed-point scale of {@link #quantizedSum}: 2^32. */
  public static final double SUM_SCALE = 0x1p32;

  private final int width;
  private final int height;
  private final int k;
  private final int columns;
  private final int rows;
  // Window minima/maxima: one array of `columns` values per window row.
  private final float[][] min;
  private final float[][] max;
  // Window sums from the map (WindowSums: a few directly, then an integral image). Null for
  // fromWindows, whose sums are given.
  private final WindowSums sums;
  // Per-window counts (row-major, columns × rows); per-window quantized sums only from another
  // engine (null for statistics computed here, which sum from the map).
  private final long[] windowSum;
  private final int[] windowCount;

  private WindowStats(
      int width,
      int height,
      int k,
      float[][] min,
      float[][] max,
      float[] map,
      long[] windowSum,
      int[] windowCount) {
    this.width = width;
    this.height = height;
    this.k = k;
    this.columns = Math.max(0, width - k + 1);
    this.rows = Math.max(0, height - k + 1);
    this.min = min;
    this.max = max;
    this.sums = map == null ? null : new WindowSums(map, width, height);
    this.windowSum = windowSum;
    this.windowCount = windowCount;
  }

  /**
   * Statistics computed elsewhere (a {@link WindowStatsEngine}, e.g. on a GPU), given per window in
   * row-major order ({@code columns × rows} values, window (x, y) at {@code y * columns + x}). The
   * values must follow the definitions of this class exactly (min/max ±Infinity for a window
   * without valid pixels, quantized sums); they are taken as given, not recomputed, and the arrays
   * must not be modified afterwards.
   *
   * @throws IllegalArgumentException if a size is not positive or an array length is not {@code
   *     max(0, width - k + 1) * max(0, height - k + 1)}
   * @throws NullPointerException if an array is null
   */
  public static WindowStats fromWindows(
      int width, int height, int k, float[] min, float[] max, int[] count, long[] quantizedSum) {
    Objects.requireNonNull(min, "min");
    Objects.requireNonNull(max, "max");
    Objects.requireNonNull(count, "count");
    Objects.requireNonNull(quantizedSum, "quantizedSum");
    if (width <= 0 || height <= 0 || k <= 0) {
      throw new IllegalArgumentException(
          "window stats need positive sizes, got " + width + "x" + height + " and k=" + k);
    }
    int cols = Math.max(0, width - k + 1);
    int rowCount = Math.max(0, height - k + 1);
    long windows = (long) cols * rowCount;
    if (min.length != windows
        || max.length != windows
        || count.length != windows
        || quantizedSum.length != windows) {
      throw new IllegalArgumentException(
          "expected " + windows + " windows (" + cols + "x" + rowCount + ") in every array");
    }
    // The scans read min/max a window row at a time.
    float[][] minRows = new float[rowCount][];
    float[][] maxRows = new float[rowCount][];
    for (int y = 0; y < rowCount; y++) {
      minRows[y] = java.util.Arrays.copyOfRange(min, y * cols, (y + 1) * cols);
      maxRows[y] = java.util.Arrays.copyOfRange(max, y * cols, (y + 1) * cols);
    }
    return new WindowStats(width, height, k, minRows, maxRows, null, quantizedSum, count);
  }

  /**
   * Computes the statistics of all {@code k × k} windows of {@code map}.
   *
   * @param map row-major values, NaN or in [0, 1]; not modified, and copied if retained
   * @param width the map width
   * @param height the map height
   * @param k the window side, at least 1; a side larger than the map gives zero windows
   * @throws IllegalArgumentException if a size is not positive, the length does not match, or a
   *     value is neither NaN nor in [0, 1] (naming its index)
   * @throws NullPointerException if {@code map} is null
   */
  public static WindowStats compute(float[] map, int width, int height, int k) {
    Objects.requireNonNull(map, "map");
    WindowStats ws = computeShared(map, width, height, k);
    // The caller may change its array later; the lazily computed sums must not see that.
    return new WindowStats(width, height, k, ws.min, ws.max, map.clone(), null, ws.windowCount);
  }

  /**
   * As {@link #compute}, keeping a reference to {@code map} for the window sums: for callers whose
   * map never changes afterwards (a {@link DepthNormalizer.Normalized}'s values).
   */
  static WindowStats computeShared(float[] map, int width, int height, int k) {
    Objects.requireNonNull(map, "map");
    if (width <= 0 || height <= 0 || k <= 0) {
      throw new IllegalArgumentException(
          "window stats need positive sizes, got " + width + "x" + height + " and k=" + k);
    }
    if ((long) width * height != map.length) {
      throw new IllegalArgumentException(
          "map length " + map.length + " does not match " + width + "x" + height);
    }
    if (k > width || k > height) {
      checkValues(map, 0, map.length);
      return new WindowStats(
          width, height, k, new float[0][], new float[0][], map, null, new int[0]);
    }
    int cols = width - k + 1;
    int rows = height - k + 1;
    float[][] rowMin = new float[height][];
    float[][] rowMax = new float[height][];
    int[][] rowCount = new int[height][];
    long pixels = (long) width * height;
    // Rows are independent in the horizontal pass; blocks of k window rows in the vertical one.
    Parallel.forRanges(
        height,
        Parallel.parts(height, pixels),
        (part, from, to) -> {
          checkValues(map, from * width, to * width);
          rowPass(map, width, k, from, to, rowMin, rowMax, rowCount);
        });
    float[][] outMin = new float[rows][];
    float[][] outMax = new float[rows][];
    int blocks = (rows + k - 1) / k;
    Parallel.forRanges(
        blocks,
        Parallel.parts(blocks, pixels),
        (part, from, to) ->
            columnPass(rowMin, rowMax, outMin, outMax, k, from * k, Math.min(to * k, rows)));
    int[] windowCount = new int[cols * rows];
    Parallel.forRanges(
        rows,
        Parallel.parts(rows, pixels),
        (part, from, to) -> countPass(rowCount, windowCount, k, cols, from, to));
    return new WindowStats(width, height, k, outMin, outMax, map, null, windowCount);
  }

  /** Throws, naming the first offender, if a value in [from, to) is neither NaN nor in [0, 1]. */
  private static void checkValues(float[] map, int from, int to) {
    for (int i = from; i < to; i++) {
      float v = map[i];
      if (!(v >= 0f && v <= 1f) && v == v) {
        throw new IllegalArgumentException(
            "map value " + v + " at index " + i + " is neither NaN nor in [0, 1]");
      }
    }
  }

  /**
   * Vertical sliding sums of the per-row valid counts: the count of window (x, y) for window rows
   * [from, to), each row from the previous by adding the row entering and removing the row leaving
   * (elementwise, so it vectorises); the first row of the range is summed afresh.
   */
  private static void countPass(int[][] rowCount, int[] out, int k, int cols, int from, int to) {
    if (from >= to) {
      return;
    }
    int base = from * cols;
    for (int r = from; r < from + k; r++) {
      int[] add = rowCount[r];
      for (int x = 0; x < cols; x++) {
        out[base + x] += add[x];
      }
    }
    for (int y = from + 1; y < to; y++) {
      int[] enter = rowCount[y + k - 1];
      int[] leave = rowCount[y - 1];
      int prev = (y - 1) * cols;
      int here = y * cols;
      for (int x = 0; x < cols; x++) {
        out[here + x] = out[prev + x] + enter[x] - leave[x];
      }
    }
  }

  /** The fixed-point value {@code floor(v * 2^32 + 0.5)} that {@link #quantizedSum} adds up. */
  public static long quantize(float v) {
    return (long) Math.floor(v * SUM_SCALE + 0.5);
  }

  // Performance note: HotSpot 17 vectorises elementwise loops like a[x] = min(b[x], c[x]) but not
  // loops reading one array at two variable offsets (it cannot rule out aliasing). So rows are kept
  // as separate arrays and shifted reads go through System.arraycopy into a scratch row; every hot
  // loop below is then a same-index elementwise Math.min/Math.max.

  /**
   * Horizontal pass: for each row, the min/max of each run of k pixels, by doubling (sparse table):
   * extremes over runs of 1, 2, 4, ... pixels, then the run of k as the extreme of two overlapping
   * power-of-two runs. O(log k) per pixel rather than van Herk's O(1), but van Herk's running
   * extremes along a row are a dependency chain the JIT cannot vectorise, and for the window sizes
   * the tasks use (k up to 25) the vectorised doubling is several times faster. Same result.
   */
  private static void rowPass(
      float[] map,
      int width,
      int k,
      int fromRow,
      int toRow,
      float[][] outMin,
      float[][] outMax,
      int[][] outCount) {
    int cols = width - k + 1;
    float[] lo = new float[width];
    float[] hi = new float[width];
    float[] shifted = new float[width];
    // The per-row steps are small methods of their own: in one large loop body HotSpot stopped
    // vectorising (and at times even inlining Math.min), which made the pass 5-8x slower.
    for (int y = fromRow; y < toRow; y++) {
      int src = y * width;
      outCount[y] = runCounts(map, src, width, k);
      toExtremes(map, src, width, lo, hi);
      int span = 1;
      while (2 * span <= k) {
        int n = width - 2 * span + 1;
        System.arraycopy(lo, span, shifted, 0, n);
        minInto(lo, shifted, n);
        System.arraycopy(hi, span, shifted, 0, n);
        maxInto(hi, shifted, n);
        span *= 2;
      }
      int offset = k - span;
      float[] rMin = new float[cols];
      float[] rMax = new float[cols];
      System.arraycopy(lo, offset, shifted, 0, cols);
      elementMin(lo, shifted, rMin);
      System.arraycopy(hi, offset, shifted, 0, cols);
      elementMax(hi, shifted, rMax);
      outMin[y] = rMin;
      outMax[y] = rMax;
    }
  }

  /**
   * Vertical van Herk/Gil-Werman pass over the row results, one block of k rows at a time: the
   * window starting at row y of block [b, b + k) is extreme(h[y], g[y + k - 1]) where h is the
   * running extreme from the block end backwards and g the running extreme forward through the next
   * block. Each step is an elementwise operation on whole rows, which vectorises.
   */
  private static void columnPass(
      float[][] minIn,
      float[][] maxIn,
      float[][] outMin,
      float[][] outMax,
      int k,
      int fromRow,
      int toRow) {
    int cols = minIn[0].length;
    int outRows = outMin.length;
    float[][] hMin = new float[k][cols];
    float[][] hMax = new float[k][cols];
    float[] gMin = new float[cols];
    float[] gMax = new float[cols];
    // fromRow is a multiple of k: blocks are the same whatever the split.
    for (int b = fromRow; b < toRow; b += k) {
      // b < outRows implies b + k <= height: the block is complete.
      System.arraycopy(minIn[b + k - 1], 0, hMin[k - 1], 0, cols);
      System.arraycopy(maxIn[b + k - 1], 0, hMax[k - 1], 0, cols);
      for (int j = k - 2; j >= 0; j--) {
        elementMin(minIn[b + j], hMin[j + 1], hMin[j]);
        elementMax(maxIn[b + j], hMax[j + 1], hMax[j]);
      }
      outMin[b] = hMin[0].clone();
      outMax[b] = hMax[0].clone();
      int stop = Math.min(b + k, outRows);
      for (int y = b + 1; y < stop; y++) {
        int j = y - b;
        if (j == 1) {
          System.arraycopy(minIn[b + k], 0, gMin, 0, cols);
          System.arraycopy(maxIn[b + k], 0, gMax, 0, cols);
        } else {
          elementMin(gMin, minIn[y + k - 1], gMin);
          elementMax(gMax, maxIn[y + k - 1], gMax);
        }
        float[] oMin = new float[cols];
        float[] oMax = new float[cols];
        elementMin(hMin[j], gMin, oMin);
        elementMax(hMax[j], gMax, oMax);
        outMin[y] = oMin;
        outMax[y] = oMax;
      }
    }
  }

  /** Valid pixels in each run of k along one row, from a running count. */
  private static int[] runCounts(float[] map, int src, int width, int k) {
    int[] counts = new int[width - k + 1];
    int run = 0;
    for (int x = 0; x < k; x++) {
      float v = map[src + x];
      run += v == v ? 1 : 0;
    }
    counts[0] = run;
    for (int x = k; x < width; x++) {
      float in = map[src + x];
      float out = map[src + x - k];
      run += (in == in ? 1 : 0) - (out == out ? 1 : 0);
      counts[x - k + 1] = run;
    }
    return counts;
  }

  /** One row as candidate extremes: NaN never becomes one; adding +0 turns -0 into +0. */
  private static void toExtremes(float[] map, int src, int width, float[] lo, float[] hi) {
    for (int x = 0; x < width; x++) {
      float v = map[src + x];
      lo[x] = v == v ? v + 0f : Float.POSITIVE_INFINITY;
      hi[x] = v == v ? v + 0f : Float.NEGATIVE_INFINITY;
    }
  }

  private static void minInto(float[] a, float[] b, int n) {
    for (int x = 0; x < n; x++) {
      a[x] = Math.min(a[x], b[x]);
    }
  }

  private static void maxInto(float[] a, float[] b, int n) {
    for (int x = 0; x < n; x++) {
      a[x] = Math.max(a[x], b[x]);
    }
  }

  private static void elementMin(float[] a, float[] b, float[] out) {
    for (int x = 0; x < out.length; x++) {
      out[x] = Math.min(a[x], b[x]);
    }
  }

  private static void elementMax(float[] a, float[] b, float[] out) {
    for (int x = 0; x < out.length; x++) {
      out[x] = Math.max(a[x], b[x]);
    }
  }

  /** The map width. */
  public int width() {
    return width;
  }

  /** The map height. */
  public int height() {
    return height;
  }

  /** The window side k. */
  public int k() {
    return k;
  }

  /** The number of window positions per row: {@code max(0, width - k + 1)}. */
  public int columns() {
    return columns;
  }

  /** The number of window positions per column: {@code max(0, height - k + 1)}. */
  public int rows() {
    return rows;
  }

  /**
   * The smallest valid value of the window with top-left (x, y); +Inf when it has none.
   *
   * @throws IndexOutOfBoundsException if (x, y) is not a window position
   */
  public float min(int x, int y) {
    check(x, y);
    return min[y][x];
  }

  /**
   * The largest valid value of the window with top-left (x, y); -Inf when it has none.
   *
   * @throws IndexOutOfBoundsException if (x, y) is not a window position
   */
  public float max(int x, int y) {
    check(x, y);
    return max[y][x];
  }

  /**
   * The number of valid pixels of the window with top-left (x, y), 0 to k².
   *
   * @throws IndexOutOfBoundsException if (x, y) is not a window position
   */
  public int count(int x, int y) {
    check(x, y);
    return countAt(x, y);
  }

  /**
   * Whether every pixel of the window with top-left (x, y) is valid.
   *
   * @throws IndexOutOfBoundsException if (x, y) is not a window position
   */
  public boolean fullyValid(int x, int y) {
    return count(x, y) == k * k;
  }

  /**
   * The sum of {@link #quantize}d valid values of the window with top-left (x, y).
   *
   * @throws IndexOutOfBoundsException if (x, y) is not a window position
   */
  public long quantizedSum(int x, int y) {
    check(x, y);
    if (windowSum != null) {
      return windowSum[y * columns + x];
    }
    return sums.sum(x, y, k);
  }

  /**
   * The mean valid value of the window with top-left (x, y), {@code (quantizedSum * 2^-32) /
   * count}; NaN when the window has no valid pixel.
   *
   * @throws IndexOutOfBoundsException if (x, y) is not a window position
   */
  public double mean(int x, int y) {
    int c = count(x, y);
    return c == 0 ? Double.NaN : (quantizedSum(x, y) * 0x1p-32) / c;
  }

  // Unchecked accessors for the tasks' scans over all windows.

  /** The valid-pixel count of window (x, y) without the bounds check of {@link #count}. */
  public int countAt(int x, int y) {
    return windowCount[y * columns + x];
  }

  /** The minima of window row y (not a copy; do not modify). */
  public float[] minRow(int y) {
    return min[y];
  }

  /** The maxima of window row y (not a copy; do not modify). */
  public float[] maxRow(int y) {
    return max[y];
  }

  private void check(int x, int y) {
    Objects.checkIndex(x, columns);
    Objects.checkIndex(y, rows);
  }

  @Override
  public String toString() {
    return "WindowStats[" + width + "x" + height + ", k=" + k + "]";
  }
}
