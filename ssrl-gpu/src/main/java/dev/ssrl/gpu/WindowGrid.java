package dev.ssrl.gpu;

import java.util.Objects;

/**
 * Statistics of every k × k window of one normalised depth map, defined exactly as {@code
 * dev.ssrl.tasks.depth.WindowStats} defines them (and bit-identical to it): for each top-left (x,
 * y), {@code 0 <= x < columns()}, {@code 0 <= y < rows()}, the valid-pixel count, min, max, the
 * quantized sum and the mean. A window without valid pixels has count 0, min +Inf, max -Inf, sum 0
 * and mean NaN. Immutable.
 */
public final class WindowGrid {
  private final int k;
  private final int columns;
  private final int rows;
  private final float[] min;
  private final float[] max;
  private final int[] count;
  private final long[] quantizedSum;

  WindowGrid(
      int k, int columns, int rows, float[] min, float[] max, int[] count, long[] quantizedSum) {
    this.k = k;
    this.columns = columns;
    this.rows = rows;
    this.min = min;
    this.max = max;
    this.count = count;
    this.quantizedSum = quantizedSum;
  }

  /** The window size. */
  public int k() {
    return k;
  }

  /** The number of window positions per row: {@code width - k + 1}. */
  public int columns() {
    return columns;
  }

  /** The number of window positions per column: {@code height - k + 1}. */
  public int rows() {
    return rows;
  }

  /**
   * The least valid value of the window at top-left (x, y), or +Inf when it has none.
   *
   * @throws IndexOutOfBoundsException if (x, y) is not a window position
   */
  public float min(int x, int y) {
    return min[index(x, y)];
  }

  /**
   * The greatest valid value of the window at top-left (x, y), or -Inf when it has none.
   *
   * @throws IndexOutOfBoundsException if (x, y) is not a window position
   */
  public float max(int x, int y) {
    return max[index(x, y)];
  }

  /**
   * The number of valid pixels of the window at top-left (x, y).
   *
   * @throws IndexOutOfBoundsException if (x, y) is not a window position
   */
  public int count(int x, int y) {
    return count[index(x, y)];
  }

  /**
   * The sum of {@code floor(v * 2^32 + 0.5)} over the valid values v of the window at top-left (x,
   * y) (as {@code WindowStats.quantizedSum}).
   *
   * @throws IndexOutOfBoundsException if (x, y) is not a window position
   */
  public long quantizedSum(int x, int y) {
    return quantizedSum[index(x, y)];
  }

  /**
   * The mean of the valid pixels of the window at top-left (x, y), {@code (quantizedSum * 2^-32) /
   * count} (as {@code WindowStats.mean}), or NaN when it has none.
   *
   * @throws IndexOutOfBoundsException if (x, y) is not a window position
   */
  public double mean(int x, int y) {
    int i = index(x, y);
    return count[i] == 0 ? Double.NaN : (quantizedSum[i] * 0x1p-32) / count[i];
  }

  /** The row-major arrays, not copies (for the tasks' engine, which wraps them without copying). */
  float[] minArray() {
    return min;
  }

  float[] maxArray() {
    return max;
  }

  int[] countArray() {
    return count;
  }

  long[] quantizedSumArray() {
    return quantizedSum;
  }

  private int index(int x, int y) {
    Objects.checkIndex(x, columns);
    Objects.checkIndex(y, rows);
    return y * columns + x;
  }
}
