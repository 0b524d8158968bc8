package dev.ssrl.gpu;

import java.util.Objects;

/**
 * Statistics of every k × k window of one normalised depth map (definition in {@code
 * src/main/cuda/window_stats_core.cuh} and docs/gpu.md): for each top-left (x, y), {@code 0 <= x <
 * columns()}, {@code 0 <= y < rows()}, the valid-pixel count, min, max and mean. A window without
 * valid pixels has count 0 and NaN min, max and mean. Count, min and max are exact; the mean is
 * summed in double row by row (each row left to right, rows top to bottom).
 */
public final class WindowGrid {
  private final int k;
  private final int columns;
  private final int rows;
  private final float[] min;
  private final float[] max;
  private final int[] count;
  private final double[] mean;

  WindowGrid(int k, int columns, int rows, float[] min, float[] max, int[] count, double[] mean) {
    this.k = k;
    this.columns = columns;
    this.rows = rows;
    this.min = min;
    this.max = max;
    this.count = count;
    this.mean = mean;
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
   * The least valid value of the window at top-left (x, y), or NaN when it has none.
   *
   * @throws IndexOutOfBoundsException if (x, y) is not a window position
   */
  public float min(int x, int y) {
    return min[index(x, y)];
  }

  /**
   * The greatest valid value of the window at top-left (x, y), or NaN when it has none.
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
   * The mean of the valid pixels of the window at top-left (x, y), or NaN when it has none.
   *
   * @throws IndexOutOfBoundsException if (x, y) is not a window position
   */
  public double mean(int x, int y) {
    return mean[index(x, y)];
  }

  private int index(int x, int y) {
    Objects.checkIndex(x, columns);
    Objects.checkIndex(y, rows);
    return y * columns + x;
  }
}
