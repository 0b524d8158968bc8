package dev.ssrl.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * A metric depth map of {@code width × height} float values in row-major order, with an optional
 * validity mask.
 *
 * <p>A pixel is invalid when its value is 0, NaN or ±Inf, or when the mask is present and holds 0
 * for it (SPEC §1). As with {@link Raster}, arrays are taken over without copying so that image
 * libraries can wrap them; treat them as read-only. Equality compares values bit for bit and the
 * masks.
 */
public final class DepthMap {
  private final int width;
  private final int height;
  private final float[] values;
  private final byte[] mask;

  private DepthMap(int width, int height, float[] values, byte[] mask) {
    this.width = width;
    this.height = height;
    this.values = values;
    this.mask = mask;
  }

  /**
   * Wraps depth values without a mask.
   *
   * @throws IllegalArgumentException if a size is not positive or the length does not match
   */
  public static DepthMap of(int width, int height, float[] values) {
    return of(width, height, values, null);
  }

  /**
   * Wraps depth values and a validity mask ({@code mask[i] != 0} means valid; null means no mask).
   *
   * @throws IllegalArgumentException if a size is not positive or a length does not match
   */
  public static DepthMap of(int width, int height, float[] values, byte[] mask) {
    Objects.requireNonNull(values, "values");
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "depth size must be positive, got " + width + "x" + height);
    }
    if ((long) width * height != values.length) {
      throw new IllegalArgumentException(
          "depth length " + values.length + " does not match " + width + "x" + height);
    }
    if (mask != null && mask.length != values.length) {
      throw new IllegalArgumentException(
          "mask length " + mask.length + " does not match " + width + "x" + height);
    }
    return new DepthMap(width, height, values, mask);
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** The backing values (not a copy), row-major. Do not modify them. */
  public float[] values() {
    return values;
  }

  /** The backing mask (not a copy), or null when the map has none. Do not modify it. */
  public byte[] mask() {
    return mask;
  }

  /** The raw value at (x, y), whether valid or not. */
  public float at(int x, int y) {
    Objects.checkIndex(x, width);
    Objects.checkIndex(y, height);
    return values[y * width + x];
  }

  /** Whether the pixel at row-major index {@code i} is valid (see the class comment). */
  public boolean isValid(int i) {
    float v = values[i];
    return v != 0f && Float.isFinite(v) && (mask == null || mask[i] != 0);
  }

  /** Whether the pixel at (x, y) is valid. */
  public boolean isValid(int x, int y) {
    Objects.checkIndex(x, width);
    Objects.checkIndex(y, height);
    return isValid(y * width + x);
  }

  /** The number of valid pixels. */
  public int validCount() {
    int n = 0;
    for (int i = 0; i < values.length; i++) {
      if (isValid(i)) {
        n++;
      }
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DepthMap d
        && d.width == width
        && d.height == height
        && Arrays.equals(d.values, values)
        && Arrays.equals(d.mask, mask);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * width + height) + Arrays.hashCode(values)) + Arrays.hashCode(mask);
  }

  @Override
  public String toString() {
    return "DepthMap[" + width + "x" + height + (mask == null ? "" : ", masked") + "]";
  }
}
