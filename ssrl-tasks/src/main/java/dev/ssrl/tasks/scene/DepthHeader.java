package dev.ssrl.tasks.scene;

/**
 * What a depth file's header says, read by {@link DepthFormat#probe} before any value is decoded.
 *
 * @param width the map's width in pixels
 * @param height the map's height in pixels
 * @param bytesPerValue bytes one stored value takes in the file (2 for 16-bit PNG, 4 for float32, 8
 *     for float64): the most a reader holds per pixel besides the file and the float map while it
 *     converts (ImageIO's raster, jHDF's array)
 */
public record DepthHeader(int width, int height, int bytesPerValue) {
  /**
   * @throws IllegalArgumentException if a value is not positive
   */
  public DepthHeader {
    if (width <= 0 || height <= 0 || bytesPerValue <= 0) {
      throw new IllegalArgumentException(
          "depth header values must be positive, got "
              + width
              + "x"
              + height
              + ", "
              + bytesPerValue
              + " bytes per value");
    }
  }

  /** {@code width × height}. */
  public long pixels() {
    return (long) width * height;
  }
}
