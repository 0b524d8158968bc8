package dev.ssrl.tasks;

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
 *       van Herk/Gil-Werman algorithm, rows then columns, NaN read as +Inf for the minimum and -Inf
 *       for the maximum; min and max are exact, so the algorithm does not affect the result.)
 *   <li>{@link #count}: the number of valid (non-NaN) pixels.
 *   <li>{@link #quantizedSum}: the sum over valid pixels of {@code q(v) = (long) Math.floor(v *
 *       2^32 + 0.5)} (v widened to double; the product is exact), as a 64-bit integer. Integer sums
 *       do not depend on the order of addition, which is what makes a parallel implementation
 *       reproduce them exactly; they come from a 64-bit integral image with wrap-around arithmetic,
 *       which is exact for window sums whatever the image size.
 *   <li>{@link #mean}: {@code (quantizedSum * 2^-32) / count} in double (IEEE, correctly rounded
 *       division); NaN when the count is 0. It differs from the exact mean of the floats by at most
 *       2^-33.
 * </ul>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class WindowStats {
  /** The fixed-point scale of {@link #quantizedSum}: 2^32. */
  public static final double SUM_SCALE = 0x1p32;

  private final int width;
  private final int height;
  private final int k;
  private final int columns;
  private final int rows;
  // Window minima/maxima, row-major with stride `columns`; only the first `rows` rows are used.
  private final float[] min;
  private final float[] max;
  // Integral images with (width + 1) columns: sum of q(v) and count of valid pixels above-left.
  private final long[] sum;
  private final int[] count;

  private WindowStats(
      int width, int height, int k, float[] min, float[] max, long[] sum, int[] count) {
    this.width = width;
    this.height = height;
    this.k = k;
    this.columns = Math.max(0, width - k + 1);
    this.rows = Math.max(0, height - k + 1);
    this.min = min;
    this.max = max;
    this.sum = sum;
    this.count = count;
  }

  /**
   * Computes the statistics of all {@code k × k} windows of {@code map}.
   *
   * @param map row-major values, NaN or in [0, 1]; not modified and not retained
   * @param width the map width
   * @param height the map height
   * @param k the window side, at least 1; a side larger than the map gives zero windows
   * @throws IllegalArgumentException if a size is not positive, the length does not match, or a
   *     value is neither NaN nor in [0, 1] (naming its index)
   * @throws NullPointerException if {@code map} is null
   */
  public static WindowStats compute(float[] map, int width, int height, int k) {
    Objects.requireNonNull(map, "map");
    if (width <= 0 || height <= 0 || k <= 0) {
      throw new IllegalArgumentException(
          "window stats need positive sizes, got " + width + "x" + height + " and k=" + k);
    }
    if ((long) width * height != map.length) {
      throw new IllegalArgumentException(
          "map length " + map.length + " does not match " + width + "x" + height);
    }
    int stride = width + 1;
    long[] sum = new long[stride * (height + 1)];
    int[] count = new int[stride * (height + 1)];
    for (int y = 0; y < height; y++) {
      long rowSum = 0;
      int rowCount = 0;
      int src = y * width;
      int up = y * stride + 1;
      int here = up + stride;
      for (int x = 0; x < width; x++) {
        float v = map[src + x];
        if (v == v) {
          if (!(v >= 0f && v <= 1f)) {
            throw new IllegalArgumentException(
                "map value " + v + " at index " + (src + x) + " is neither NaN nor in [0, 1]");
          }
          rowSum += quantize(v);
          rowCount++;
        }
        sum[here + x] = sum[up + x] + rowSum;
        count[here + x] = count[up + x] + rowCount;
      }
    }
    if (k > width || k > height) {
      return new WindowStats(width, height, k, new float[0], new float[0], sum, count);
    }
    int cols = width - k + 1;
    float[] rowMin = new float[cols * height];
    float[] rowMax = new float[cols * height];
    rowPass(map, width, height, k, rowMin, rowMax);
    float[] outMin = new float[cols * height];
    float[] outMax = new float[cols * height];
    columnPass(rowMin, rowMax, outMin, outMax, cols, height, k);
    return new WindowStats(width, height, k, outMin, outMax, sum, count);
  }

  /** The fixed-point value {@code floor(v * 2^32 + 0.5)} that {@link #quantizedSum} adds up. */
  public static long quantize(float v) {
    return (long) Math.floor(v * SUM_SCALE + 0.5);
  }

  /**
   * Horizontal van Herk/Gil-Werman pass: for each row, the min/max of each run of k pixels. Within
   * blocks of k pixels g is the running extreme from the block start and h from the block end; a
   * window starting at x spans the tail of one block and the head of the next, so its extreme is
   * extreme(h[x], g[x + k - 1]).
   */
  private static void rowPass(
      float[] map, int width, int height, int k, float[] outMin, float[] outMax) {
    int cols = width - k + 1;
    float[] gMin = new float[width];
    float[] gMax = new float[width];
    float[] hMin = new float[width];
    float[] hMax = new float[width];
    for (int y = 0; y < height; y++) {
      int src = y * width;
      for (int x = 0; x < width; x++) {
        float v = map[src + x];
        float lo = v == v ? v : Float.POSITIVE_INFINITY;
        float hi = v == v ? v : Float.NEGATIVE_INFINITY;
        if (x % k == 0) {
          gMin[x] = lo;
          gMax[x] = hi;
        } else {
          gMin[x] = lo < gMin[x - 1] ? lo : gMin[x - 1];
          gMax[x] = hi > gMax[x - 1] ? hi : gMax[x - 1];
        }
      }
      for (int x = width - 1; x >= 0; x--) {
        float v = map[src + x];
        float lo = v == v ? v : Float.POSITIVE_INFINITY;
        float hi = v == v ? v : Float.NEGATIVE_INFINITY;
        if (x % k == k - 1 || x == width - 1) {
          hMin[x] = lo;
          hMax[x] = hi;
        } else {
          hMin[x] = lo < hMin[x + 1] ? lo : hMin[x + 1];
          hMax[x] = hi > hMax[x + 1] ? hi : hMax[x + 1];
        }
      }
      int dst = y * cols;
      for (int x = 0; x < cols; x++) {
        float a = hMin[x];
        float b = gMin[x + k - 1];
        outMin[dst + x] = a < b ? a : b;
        float c = hMax[x];
        float d = gMax[x + k - 1];
        outMax[dst + x] = c > d ? c : d;
      }
    }
  }

  /**
   * Vertical pass over the row results, processed a whole row at a time so memory is read in order.
   * The row arrays become h in place (running extreme towards the block end); g goes into the
   * output arrays, and the window starting at row y is then extreme(h[y], g[y + k - 1]), which can
   * overwrite g[y] because later windows only read g at rows {@code >= y + k - 1 > y} (or the same
   * row when k = 1, read before it is written).
   */
  private static void columnPass(
      float[] minIn, float[] maxIn, float[] outMin, float[] outMax, int cols, int height, int k) {
    for (int y = 0; y < height; y++) {
      int row = y * cols;
      if (y % k == 0) {
        System.arraycopy(minIn, row, outMin, row, cols);
        System.arraycopy(maxIn, row, outMax, row, cols);
      } else {
        int prev = row - cols;
        for (int x = 0; x < cols; x++) {
          float a = minIn[row + x];
          float b = outMin[prev + x];
          outMin[row + x] = a < b ? a : b;
          float c = maxIn[row + x];
          float d = outMax[prev + x];
          outMax[row + x] = c > d ? c : d;
        }
      }
    }
    for (int y = height - 2; y >= 0; y--) {
      if (y % k == k - 1) {
        continue;
      }
      int row = y * cols;
      int next = row + cols;
      for (int x = 0; x < cols; x++) {
        float a = minIn[row + x];
        float b = minIn[next + x];
        minIn[row + x] = a < b ? a : b;
        float c = maxIn[row + x];
        float d = maxIn[next + x];
        maxIn[row + x] = c > d ? c : d;
      }
    }
    int outRows = height - k + 1;
    for (int y = 0; y < outRows; y++) {
      int row = y * cols;
      int last = (y + k - 1) * cols;
      for (int x = 0; x < cols; x++) {
        float a = minIn[row + x];
        float b = outMin[last + x];
        outMin[row + x] = a < b ? a : b;
        float c = maxIn[row + x];
        float d = outMax[last + x];
        outMax[row + x] = c > d ? c : d;
      }
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
    return min[index(x, y)];
  }

  /**
   * The largest valid value of the window with top-left (x, y); -Inf when it has none.
   *
   * @throws IndexOutOfBoundsException if (x, y) is not a window position
   */
  public float max(int x, int y) {
    return max[index(x, y)];
  }

  /**
   * The number of valid pixels of the window with top-left (x, y), 0 to k².
   *
   * @throws IndexOutOfBoundsException if (x, y) is not a window position
   */
  public int count(int x, int y) {
    index(x, y);
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
    index(x, y);
    int s = width + 1;
    int a = y * s + x;
    int b = (y + k) * s + x;
    return sum[b + k] - sum[a + k] - sum[b] + sum[a];
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

  int countAt(int x, int y) {
    int s = width + 1;
    int a = y * s + x;
    int b = (y + k) * s + x;
    return count[b + k] - count[a + k] - count[b] + count[a];
  }

  float minAt(int i) {
    return min[i];
  }

  float maxAt(int i) {
    return max[i];
  }

  private int index(int x, int y) {
    Objects.checkIndex(x, columns);
    Objects.checkIndex(y, rows);
    return y * columns + x;
  }

  @Override
  public String toString() {
    return "WindowStats[" + width + "x" + height + ", k=" + k + "]";
  }
}
