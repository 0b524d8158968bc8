package dev.ssrl.tasks.interop;

import dev.ssrl.api.DepthMap;
import dev.ssrl.api.Raster;
import java.util.Objects;
import java.util.Optional;
import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * {@link Raster} and {@link DepthMap} as ImgLib2 images, and back.
 *
 * <p>Axes: an RGB image is {@code (x, y, channel)} with channel 0, 1, 2 = R, G, B, the order
 * ImageJ/Fiji use for a multi-channel image; a depth map or mask is {@code (x, y)}.
 *
 * <table>
 *   <caption>Which directions share pixels</caption>
 *   <tr><th>method</th><th>shares the array?</th></tr>
 *   <tr><td>{@link #view(Raster)}</td><td>yes: an {@code ArrayImg} over {@link Raster#data()}
 *       (dimensions channel, x, y) seen through a view that moves the channel axis last</td></tr>
 *   <tr><td>{@link #toRaster}</td><td>no: always a copy, even of a {@code view(Raster)}
 *       (an arbitrary {@code RandomAccessibleInterval} exposes no interleaved array to share)</td></tr>
 *   <tr><td>{@link #view(DepthMap)}, {@link #maskView}</td><td>yes: {@code ArrayImg}s over
 *       {@link DepthMap#values()} and {@link DepthMap#mask()}</td></tr>
 *   <tr><td>{@link #validOrNaN}</td><td>no: a copy</td></tr>
 *   <tr><td>{@link #toDepthMap}</td><td>yes for a 2-D {@code ArrayImg} of floats (and of
 *       unsigned bytes for the mask), which is already row-major with origin 0; a copy for
 *       anything else (views, sub-intervals, cell images)</td></tr>
 * </table>
 *
 * <p>Where the array is shared, a write through either side is visible on the other; since the
 * {@code dev.ssrl.api} types are read-only by contract, write through a view only to an image you
 * do not hand to ssrl afterwards (or copy first). Where a copy is made, later writes are not seen.
 *
 * <p>Invalid depth (SPEC §1: 0, NaN, ±Inf, or 0 in the mask): {@link #view(DepthMap)} shows the
 * stored values unchanged, invalid ones included, and the mask is a separate image ({@link
 * #maskView}); {@link #validOrNaN} is the one-image form, NaN wherever a pixel is invalid. In the
 * other direction NaN, 0 and ±Inf stay what they are, which {@link DepthMap} counts as invalid.
 *
 * <p>Wrong shapes are an {@link IllegalArgumentException} naming the argument and what it has: an
 * RGB image must have 3 dimensions with exactly 3 channels, a depth image 2 dimensions. Any
 * interval is accepted (its minimum need not be 0): pixel (min x, min y) becomes pixel (0, 0).
 */
public final class ImgLib2Interop {
  private ImgLib2Interop() {}

  /** The raster as an {@code (x, y, channel)} image over its own bytes (zero-copy). */
  public static RandomAccessibleInterval<UnsignedByteType> view(Raster raster) {
    Objects.requireNonNull(raster, "raster");
    // The bytes are R,G,B per pixel, row-major: an image of (channel, x, y) with channel fastest.
    ArrayImg<UnsignedByteType, ?> cxy =
        ArrayImgs.unsignedBytes(raster.data(), 3, raster.width(), raster.height());
    return Views.moveAxis(cxy, 0, 2);
  }

  /**
   * A new raster holding the pixels of an {@code (x, y, channel)} image (a copy).
   *
   * @throws IllegalArgumentException if {@code image} does not have 3 dimensions with 3 channels,
   *     or is too large for a raster
   */
  public static Raster toRaster(RandomAccessibleInterval<UnsignedByteType> image) {
    Objects.requireNonNull(image, "image");
    if (image.numDimensions() != 3 || image.dimension(2) != 3) {
      throw new IllegalArgumentException(
          "image must be (x, y, channel) with 3 channels (R, G, B), got dimensions "
              + java.util.Arrays.toString(image.dimensionsAsLongArray()));
    }
    int w = side(image, 0, "image");
    int h = side(image, 1, "image");
    if ((long) w * h * 3 > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(
          "image " + w + "x" + h + " is too large for a raster (over 2^31 bytes)");
    }
    byte[] rgb = new byte[w * h * 3];
    // Iterate the image with channel fastest so that the output is written in order.
    RandomAccessibleInterval<UnsignedByteType> cxy = Views.zeroMin(Views.moveAxis(image, 2, 0));
    Cursor<UnsignedByteType> c = Views.flatIterable(cxy).cursor();
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = (byte) c.next().get();
    }
    return Raster.of(w, h, rgb);
  }

  /**
   * The stored depth values as an {@code (x, y)} image over {@link DepthMap#values()} (zero-copy).
   */
  public static RandomAccessibleInterval<FloatType> view(DepthMap depth) {
    Objects.requireNonNull(depth, "depth");
    return ArrayImgs.floats(depth.values(), depth.width(), depth.height());
  }

  /** The validity mask (non-zero = valid) over {@link DepthMap#mask()} (zero-copy), if any. */
  public static Optional<RandomAccessibleInterval<UnsignedByteType>> maskView(DepthMap depth) {
    Objects.requireNonNull(depth, "depth");
    byte[] m = depth.mask();
    return m == null
        ? Optional.empty()
        : Optional.of(ArrayImgs.unsignedBytes(m, depth.width(), depth.height()));
  }

  /** A new image of the depth, NaN at every invalid pixel (mask applied); a copy. */
  public static ArrayImg<FloatType, FloatArray> validOrNaN(DepthMap depth) {
    Objects.requireNonNull(depth, "depth");
    float[] v = depth.values();
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = depth.isValid(i) ? v[i] : Float.NaN;
    }
    return ArrayImgs.floats(out, depth.width(), depth.height());
  }

  /**
   * A depth map of an {@code (x, y)} float image, without a mask.
   *
   * @throws IllegalArgumentException if {@code values} is not 2-D
   */
  public static DepthMap toDepthMap(RandomAccessibleInterval<FloatType> values) {
    return toDepthMap(values, null);
  }

  /**
   * A depth map of an {@code (x, y)} float image and a mask of the same size (non-zero = valid;
   * null for none). Shares the arrays of 2-D {@code ArrayImg}s, copies anything else.
   *
   * @throws IllegalArgumentException if an image is not 2-D or the mask's size differs
   */
  public static DepthMap toDepthMap(
      RandomAccessibleInterval<FloatType> values, RandomAccessibleInterval<UnsignedByteType> mask) {
    Objects.requireNonNull(values, "values");
    int w = side2d(values, 0, "values");
    int h = side2d(values, 1, "values");
    if ((long) w * h > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("values " + w + "x" + h + " is too large for a depth map");
    }
    float[] v = sharedFloats(values, w * h);
    if (v == null) {
      v = new float[w * h];
      Cursor<FloatType> c = Views.flatIterable(Views.zeroMin(values)).cursor();
      for (int i = 0; i < v.length; i++) {
        v[i] = c.next().get();
      }
    }
    byte[] m = null;
    if (mask != null) {
      int mw = side2d(mask, 0, "mask");
      int mh = side2d(mask, 1, "mask");
      if (mw != w || mh != h) {
        throw new IllegalArgumentException(
            "mask " + mw + "x" + mh + " does not match values " + w + "x" + h);
      }
      m = sharedBytes(mask, w * h);
      if (m == null) {
        m = new byte[w * h];
        Cursor<UnsignedByteType> c = Views.flatIterable(Views.zeroMin(mask)).cursor();
        for (int i = 0; i < m.length; i++) {
          m[i] = (byte) c.next().get();
        }
      }
    }
    return DepthMap.of(w, h, v, m);
  }

  /** The backing array of a flat float ArrayImg of exactly {@code n} values, else null. */
  private static float[] sharedFloats(RandomAccessibleInterval<FloatType> img, int n) {
    if (img instanceof ArrayImg<?, ?> a && a.update(null) instanceof FloatArray fa) {
      float[] data = fa.getCurrentStorageArray();
      return data.length == n ? data : null;
    }
    return null;
  }

  private static byte[] sharedBytes(RandomAccessibleInterval<UnsignedByteType> img, int n) {
    if (img instanceof ArrayImg<?, ?> a
        && a.update(null) instanceof net.imglib2.img.basictypeaccess.array.ByteArray ba) {
      byte[] data = ba.getCurrentStorageArray();
      return data.length == n ? data : null;
    }
    return null;
  }

  private static int side2d(RandomAccessibleInterval<?> img, int d, String name) {
    if (img.numDimensions() != 2) {
      throw new IllegalArgumentException(
          name
              + " must be a 2-D (x, y) image, got dimensions "
              + java.util.Arrays.toString(img.dimensionsAsLongArray()));
    }
    return side(img, d, name);
  }

  private static int side(RandomAccessibleInterval<?> img, int d, String name) {
    long s = img.dimension(d);
    if (s <= 0 || s > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          name + " dimension " + d + " must be between 1 and 2^31-1, got " + s);
    }
    return (int) s;
  }
}
