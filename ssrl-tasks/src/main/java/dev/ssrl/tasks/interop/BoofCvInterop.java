package dev.ssrl.tasks.interop;

import boofcv.struct.image.GrayF32;
import boofcv.struct.image.GrayU8;
import boofcv.struct.image.InterleavedU8;
import boofcv.struct.image.Planar;
import dev.ssrl.api.DepthMap;
import dev.ssrl.api.Raster;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link Raster} and {@link DepthMap} as BoofCV images, and back.
 *
 * <table>
 *   <caption>Which directions share pixels</caption>
 *   <tr><th>method</th><th>shares the array?</th></tr>
 *   <tr><td>{@link #view(Raster)}</td><td>yes: an {@code InterleavedU8} whose {@code data} is
 *       {@link Raster#data()} (the layouts are the same: 3 bands, R, G, B, stride = 3 × width)</td></tr>
 *   <tr><td>{@link #toRaster(InterleavedU8)}</td><td>yes when the image is contiguous
 *       ({@code startIndex} 0, {@code stride} 3 × width, {@code data} exactly 3 × width × height
 *       long, not a sub-image); otherwise a copy</td></tr>
 *   <tr><td>{@link #toPlanar}, {@link #toRaster(Planar)}</td><td>no: planar and interleaved
 *       layouts differ, so always a copy</td></tr>
 *   <tr><td>{@link #view(DepthMap)}, {@link #maskView}</td><td>yes: {@code GrayF32} / {@code
 *       GrayU8} over {@link DepthMap#values()} / {@link DepthMap#mask()}</td></tr>
 *   <tr><td>{@link #validOrNaN}</td><td>no: a copy</td></tr>
 *   <tr><td>{@link #toDepthMap}</td><td>yes for contiguous images (as for {@code toRaster}),
 *       else a copy</td></tr>
 * </table>
 *
 * <p>Where the array is shared, a write through either side is visible on the other; since the
 * {@code dev.ssrl.api} types are read-only by contract, write only to an image you do not hand to
 * ssrl afterwards (or copy first, e.g. {@code image.clone()}). Where a copy is made, later writes
 * are not seen.
 *
 * <p>Invalid depth (SPEC §1: 0, NaN, ±Inf, or 0 in the mask): {@link #view(DepthMap)} shows the
 * stored values unchanged and the mask is a separate {@code GrayU8} ({@link #maskView}); {@link
 * #validOrNaN} is the one-image form with NaN at every invalid pixel. Back from BoofCV, NaN, 0 and
 * ±Inf stay as they are, which {@link DepthMap} counts as invalid.
 *
 * <p>An interleaved or planar image whose band count is not 3 is an {@link
 * IllegalArgumentException} naming {@code numBands}; sub-images and padded rows are copied.
 */
public final class BoofCvInterop {
  private BoofCvInterop() {}

  /** The raster as a 3-band {@code InterleavedU8} over its own bytes (zero-copy). */
  public static InterleavedU8 view(Raster raster) {
    Objects.requireNonNull(raster, "raster");
    // Constructed empty so that BoofCV sets numBands and imageType itself; then given our array.
    InterleavedU8 img = new InterleavedU8(0, 0, 3);
    img.data = raster.data();
    img.width = raster.width();
    img.height = raster.height();
    img.stride = raster.width() * 3;
    img.startIndex = 0;
    img.subImage = false;
    return img;
  }

  /**
   * The pixels of a 3-band interleaved image as a raster: its {@code data} array itself when the
   * image is contiguous, else a copy.
   *
   * @throws IllegalArgumentException if {@code image.numBands} is not 3 or the image is empty
   */
  public static Raster toRaster(InterleavedU8 image) {
    Objects.requireNonNull(image, "image");
    if (image.numBands != 3) {
      throw new IllegalArgumentException(
          "image.numBands must be 3 (R, G, B), got " + image.numBands);
    }
    int w = image.width;
    int h = image.height;
    checkSize(w, h, "image");
    int row = w * 3;
    if (image.startIndex == 0
        && image.stride == row
        && !image.subImage
        && image.data.length == (long) row * h) {
      return Raster.of(w, h, image.data);
    }
    byte[] rgb = new byte[Math.multiplyExact(row, h)];
    for (int y = 0; y < h; y++) {
      System.arraycopy(image.data, image.startIndex + y * image.stride, rgb, y * row, row);
    }
    return Raster.of(w, h, rgb);
  }

  /** A new 3-band planar image (R, G, B bands) of the raster; a copy. */
  public static Planar<GrayU8> toPlanar(Raster raster) {
    Objects.requireNonNull(raster, "raster");
    int w = raster.width();
    int h = raster.height();
    Planar<GrayU8> p = new Planar<>(GrayU8.class, w, h, 3);
    byte[] src = raster.data();
    byte[] r = p.getBand(0).data;
    byte[] g = p.getBand(1).data;
    byte[] b = p.getBand(2).data;
    for (int i = 0, s = 0; i < w * h; i++, s += 3) {
      r[i] = src[s];
      g[i] = src[s + 1];
      b[i] = src[s + 2];
    }
    return p;
  }

  /**
   * A new raster of a 3-band planar image (bands R, G, B); a copy. Sub-images are read through
   * their start index and stride.
   *
   * @throws IllegalArgumentException if {@code image.numBands} is not 3 or the image is empty
   */
  public static Raster toRaster(Planar<GrayU8> image) {
    Objects.requireNonNull(image, "image");
    if (image.getNumBands() != 3) {
      throw new IllegalArgumentException(
          "image.numBands must be 3 (R, G, B), got " + image.getNumBands());
    }
    int w = image.width;
    int h = image.height;
    checkSize(w, h, "image");
    byte[] rgb = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
    for (int band = 0; band < 3; band++) {
      GrayU8 g = image.getBand(band);
      int o = band;
      for (int y = 0; y < h; y++) {
        int s = g.startIndex + y * g.stride;
        for (int x = 0; x < w; x++, o += 3) {
          rgb[o] = g.data[s + x];
        }
      }
    }
    return Raster.of(w, h, rgb);
  }

  /** The stored depth values as a {@code GrayF32} over {@link DepthMap#values()} (zero-copy). */
  public static GrayF32 view(DepthMap depth) {
    Objects.requireNonNull(depth, "depth");
    GrayF32 img = new GrayF32(0, 0);
    img.data = depth.values();
    img.width = depth.width();
    img.height = depth.height();
    img.stride = depth.width();
    img.startIndex = 0;
    img.subImage = false;
    return img;
  }

  /**
   * The validity mask (non-zero = valid) as a {@code GrayU8} over {@link DepthMap#mask()}, if any.
   */
  public static Optional<GrayU8> maskView(DepthMap depth) {
    Objects.requireNonNull(depth, "depth");
    if (depth.mask() == null) {
      return Optional.empty();
    }
    GrayU8 img = new GrayU8(0, 0);
    img.data = depth.mask();
    img.width = depth.width();
    img.height = depth.height();
    img.stride = depth.width();
    img.startIndex = 0;
    img.subImage = false;
    return Optional.of(img);
  }

  /** A new {@code GrayF32} of the depth, NaN at every invalid pixel (mask applied); a copy. */
  public static GrayF32 validOrNaN(DepthMap depth) {
    Objects.requireNonNull(depth, "depth");
    GrayF32 out = new GrayF32(depth.width(), depth.height());
    float[] v = depth.values();
    for (int i = 0; i < v.length; i++) {
      out.data[i] = depth.isValid(i) ? v[i] : Float.NaN;
    }
    return out;
  }

  /**
   * A depth map of a {@code GrayF32}, without a mask: its array when contiguous, else a copy.
   *
   * @throws IllegalArgumentException if the image is empty
   */
  public static DepthMap toDepthMap(GrayF32 values) {
    return toDepthMap(values, null);
  }

  /**
   * A depth map of a {@code GrayF32} and a {@code GrayU8} mask of the same size (non-zero = valid;
   * null for none): their arrays when contiguous, else copies.
   *
   * @throws IllegalArgumentException if an image is empty or the mask's size differs
   */
  public static DepthMap toDepthMap(GrayF32 values, GrayU8 mask) {
    Objects.requireNonNull(values, "values");
    int w = values.width;
    int h = values.height;
    checkSize(w, h, "values");
    float[] v;
    if (contiguous(values, values.data.length, w, h)) {
      v = values.data;
    } else {
      v = new float[w * h];
      for (int y = 0; y < h; y++) {
        System.arraycopy(values.data, values.startIndex + y * values.stride, v, y * w, w);
      }
    }
    byte[] m = null;
    if (mask != null) {
      if (mask.width != w || mask.height != h) {
        throw new IllegalArgumentException(
            "mask " + mask.width + "x" + mask.height + " does not match values " + w + "x" + h);
      }
      if (contiguous(mask, mask.data.length, w, h)) {
        m = mask.data;
      } else {
        m = new byte[w * h];
        for (int y = 0; y < h; y++) {
          System.arraycopy(mask.data, mask.startIndex + y * mask.stride, m, y * w, w);
        }
      }
    }
    return DepthMap.of(w, h, v, m);
  }

  private static boolean contiguous(
      boofcv.struct.image.ImageGray<?> img, int length, int w, int h) {
    return img.startIndex == 0 && img.stride == w && !img.subImage && length == (long) w * h;
  }

  private static void checkSize(int w, int h, String name) {
    if (w <= 0 || h <= 0) {
      throw new IllegalArgumentException(
          name + " must not be empty, got width " + w + " and height " + h);
    }
    if ((long) w * h * 3 > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(name + " " + w + "x" + h + " is too large");
    }
  }
}
