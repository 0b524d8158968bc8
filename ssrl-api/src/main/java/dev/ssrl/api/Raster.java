package dev.ssrl.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * An 8-bit RGB image: {@code width × height} pixels stored interleaved ({@code R, G, B}) in
 * row-major order.
 *
 * <p>To let image libraries wrap the pixels without copying, the array passed to {@link #of} is
 * taken over, not copied, and {@link #data()} returns it. Callers must treat it as read-only once
 * handed over; the library never modifies a raster it did not create. Equality compares pixels.
 */
public final class Raster {
  private final int width;
  private final int height;
  private final byte[] rgb;

  private Raster(int width, int height, byte[] rgb) {
    this.width = width;
    this.height = height;
    this.rgb = rgb;
  }

  /**
   * Wraps interleaved RGB bytes.
   *
   * @throws IllegalArgumentException if a size is not positive or {@code rgb.length != width *
   *     height * 3}
   * @throws NullPointerException if {@code rgb} is null
   */
  public static Raster of(int width, int height, byte[] rgb) {
    Objects.requireNonNull(rgb, "rgb");
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "raster size must be positive, got " + width + "x" + height);
    }
    if ((long) width * height * 3 != rgb.length) {
      throw new IllegalArgumentException(
          "rgb length " + rgb.length + " does not match " + width + "x" + height + "x3");
    }
    return new Raster(width, height, rgb);
  }

  /** A new black raster. */
  public static Raster blank(int width, int height) {
    return of(width, height, new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)]);
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** The backing array (not a copy): interleaved RGB, row-major. Do not modify it. */
  public byte[] data() {
    return rgb;
  }

  /** The pixel at (x, y) packed as {@code 0xRRGGBB}. */
  public int rgbAt(int x, int y) {
    Objects.checkIndex(x, width);
    Objects.checkIndex(y, height);
    int i = (y * width + x) * 3;
    return (rgb[i] & 0xFF) << 16 | (rgb[i + 1] & 0xFF) << 8 | (rgb[i + 2] & 0xFF);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Raster r
        && r.width == width
        && r.height == height
        && Arrays.equals(r.rgb, rgb);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + Arrays.hashCode(rgb);
  }

  @Override
  public String toString() {
    return "Raster[" + width + "x" + height + "]";
  }
}
