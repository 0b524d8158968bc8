package dev.ssrl.tasks.image;

import boofcv.alg.misc.ImageMiscOps;
import boofcv.struct.image.InterleavedU8;
import dev.ssrl.api.Raster;

/**
 * Pixel operations on interleaved 8-bit RGB rasters: crop, flip, rotate, resize, compare.
 *
 * <p>Each operation was timed against its BoofCV, ImgLib2 (and, for the depth side, Commons Math)
 * counterpart on the shared scenes ({@code LibraryVsOwnBenchmark}, docs/BENCHMARKS.md "Library vs
 * own"). Block copies (crop, the shuffle task's tile rearrangement) run on BoofCV's {@code
 * ImageMiscOps.copy}, which shares the raster's array through an {@code InterleavedU8} and is as
 * fast as our loop was. The rest stays as plain index loops because the libraries measured clearly
 * slower here (each method says by how much): BoofCV splits rotations, flips and statistics over
 * its thread pool from 100×100 pixels on, which costs more than it gains at crop and tile sizes;
 * ImgLib2 views copied through {@code PrimitiveBlocks} or {@code LoopBuilder} are slower again; and
 * BoofCV's resampling ({@code FDistort}, {@code AverageDownSampleOps}) rounds and places pixel
 * centres differently. The tests check every transform here against the corresponding ImgLib2 view
 * ({@code Views.rotate}, {@code Views.invertAxis}) over the same array, so the views remain the
 * executable definition.
 */
public final class RasterOps {
  private RasterOps() {}

  /** The region [x, x+w) × [y, y+h) as a new raster; the region must lie inside the source. */
  public static Raster crop(Raster src, int x, int y, int w, int h) {
    checkRegion(src, x, y, w, h);
    byte[] out = new byte[w * h * 3];
    copyRegion(src.data(), src.width(), x, y, out, w, 0, 0, w, h);
    return Raster.of(w, h, out);
  }

  /**
   * Copies a w×h block between two interleaved buffers, row by row. A buffer's height is its length
   * divided by {@code 3 * width}.
   *
   * @param srcWidth width in pixels of the source buffer
   * @param dstWidth width in pixels of the destination buffer
   * @throws IllegalArgumentException if the block reaches past the right or bottom edge of either
   *     buffer
   */
  public static void copyRegion(
      byte[] src,
      int srcWidth,
      int sx,
      int sy,
      byte[] dst,
      int dstWidth,
      int dx,
      int dy,
      int w,
      int h) {
    // BoofCV's copy (row by row, like ours) measured as fast as our loop: docs/BENCHMARKS.md.
    ImageMiscOps.copy(
        sx,
        sy,
        dx,
        dy,
        w,
        h,
        interleaved(src, srcWidth, src.length / (3 * srcWidth)),
        interleaved(dst, dstWidth, dst.length / (3 * dstWidth)));
  }

  /**
   * A BoofCV image over an interleaved RGB array of {@code width × height} pixels, sharing it (no
   * copy): what BoofCV reads or writes is the raster's array itself.
   */
  static InterleavedU8 interleaved(byte[] rgb, int width, int height) {
    InterleavedU8 image = new InterleavedU8(0, 0, 3);
    image.data = rgb;
    image.width = width;
    image.height = height;
    image.stride = width * 3;
    image.startIndex = 0;
    return image;
  }

  /** The raster rotated 90° clockwise: a new raster of swapped size. */
  // kept: BoofCV ImageMiscOps.rotateCW is 1.5-5.2x slower here, docs/BENCHMARKS.md
  public static Raster rotateClockwise(Raster src) {
    int w = src.width();
    int h = src.height();
    byte[] in = src.data();
    byte[] out = new byte[in.length];
    // Output (X, Y), of width h, shows source (Y, h-1-X): the left column becomes the top row.
    for (int y = 0; y < w; y++) {
      int o = y * h * 3;
      for (int x = 0, s = ((h - 1) * w + y) * 3; x < h; x++, s -= w * 3, o += 3) {
        out[o] = in[s];
        out[o + 1] = in[s + 1];
        out[o + 2] = in[s + 2];
      }
    }
    return Raster.of(h, w, out);
  }

  /** The raster rotated 90° counter-clockwise: a new raster of swapped size. */
  // kept: BoofCV ImageMiscOps.rotateCCW is 1.9-3.1x slower here, docs/BENCHMARKS.md
  public static Raster rotateCounterClockwise(Raster src) {
    int w = src.width();
    int h = src.height();
    byte[] in = src.data();
    byte[] out = new byte[in.length];
    // Output (X, Y), of width h, shows source (w-1-Y, X): the top row becomes the left column.
    for (int y = 0; y < w; y++) {
      int o = y * h * 3;
      for (int x = 0, s = (w - 1 - y) * 3; x < h; x++, s += w * 3, o += 3) {
        out[o] = in[s];
        out[o + 1] = in[s + 1];
        out[o + 2] = in[s + 2];
      }
    }
    return Raster.of(h, w, out);
  }

  /**
   * Flips the region [x, x+w) × [y, y+h) of an interleaved buffer in place: direction 0 turns it
   * upside down, 1 mirrors it left–right.
   */
  // kept: BoofCV ImageMiscOps.flipVertical is 8.6-15x slower here (it has no interleaved
  // left-right flip; ImgLib2 invertAxis is 2.1-4.1x slower left-right), docs/BENCHMARKS.md
  public static void flipRegionInPlace(
      byte[] rgb, int width, int x, int y, int w, int h, int direction) {
    if (direction == 0) {
      int rowBytes = w * 3;
      byte[] tmp = new byte[rowBytes];
      for (int top = 0, bottom = h - 1; top < bottom; top++, bottom--) {
        int a = ((y + top) * width + x) * 3;
        int b = ((y + bottom) * width + x) * 3;
        System.arraycopy(rgb, a, tmp, 0, rowBytes);
        System.arraycopy(rgb, b, rgb, a, rowBytes);
        System.arraycopy(tmp, 0, rgb, b, rowBytes);
      }
    } else if (direction == 1) {
      for (int r = 0; r < h; r++) {
        int row = ((y + r) * width + x) * 3;
        for (int left = 0, right = w - 1; left < right; left++, right--) {
          int a = row + left * 3;
          int b = row + right * 3;
          for (int c = 0; c < 3; c++) {
            byte t = rgb[a + c];
            rgb[a + c] = rgb[b + c];
            rgb[b + c] = t;
          }
        }
      }
    } else {
      throw new IllegalArgumentException("flip direction must be 0 or 1, got " + direction);
    }
  }

  /**
   * Mean absolute difference, in 8-bit units (0–255), between the region [x, x+w) × [y, y+h) and
   * its flip in {@code direction} (0 vertical, 1 horizontal), over all samples of all channels.
   */
  // kept: BoofCV copy + flipVertical + ImageStatistics.meanDiffAbs is 2.1-2.6x slower here,
  // ImgLib2 LoopBuilder over invertAxis 26-32x, docs/BENCHMARKS.md
  public static double flipDifference(Raster src, int x, int y, int w, int h, int direction) {
    checkRegion(src, x, y, w, h);
    byte[] rgb = src.data();
    int width = src.width();
    long sum = 0;
    // Each mirrored pair of pixels is visited once and counted twice: the difference is symmetric.
    if (direction == 0) {
      int rowBytes = w * 3;
      for (int top = 0, bottom = h - 1; top < bottom; top++, bottom--) {
        int a = ((y + top) * width + x) * 3;
        int b = ((y + bottom) * width + x) * 3;
        for (int k = 0; k < rowBytes; k++) {
          sum += Math.abs((rgb[a + k] & 0xFF) - (rgb[b + k] & 0xFF));
        }
      }
    } else if (direction == 1) {
      for (int r = 0; r < h; r++) {
        int row = ((y + r) * width + x) * 3;
        for (int left = 0, right = w - 1; left < right; left++, right--) {
          int a = row + left * 3;
          int b = row + right * 3;
          sum +=
              Math.abs((rgb[a] & 0xFF) - (rgb[b] & 0xFF))
                  + Math.abs((rgb[a + 1] & 0xFF) - (rgb[b + 1] & 0xFF))
                  + Math.abs((rgb[a + 2] & 0xFF) - (rgb[b + 2] & 0xFF));
        }
      }
    } else {
      throw new IllegalArgumentException("flip direction must be 0 or 1, got " + direction);
    }
    return 2.0 * sum / ((double) w * h * 3);
  }

  /**
   * Mean absolute difference in 8-bit units (0–255) between two rasters of the same size, over all
   * samples of all channels.
   */
  // kept: BoofCV ImageStatistics.meanDiffAbs is 1.7-2.9x slower here with its default threads
  // (0.9-1.2x single-threaded) and its int sum overflows past 2^31/255 samples, docs/BENCHMARKS.md
  public static double meanAbsDiff(Raster a, Raster b) {
    if (a.width() != b.width() || a.height() != b.height()) {
      throw new IllegalArgumentException("sizes differ: " + a + " vs " + b);
    }
    byte[] p = a.data();
    byte[] q = b.data();
    long sum = 0;
    for (int i = 0; i < p.length; i++) {
      sum += Math.abs((p[i] & 0xFF) - (q[i] & 0xFF));
    }
    return (double) sum / p.length;
  }

  /**
   * Resamples the region [x, x+w) × [y, y+h) of {@code src} to {@code outW × outH}.
   *
   * <p>Separable, per axis: when the axis shrinks, each output pixel is the area-weighted mean of
   * the source pixels it covers (no aliasing of fine texture); when it grows or keeps its size,
   * bilinear interpolation with pixel centres at half-integers (OpenCV's {@code INTER_AREA} /
   * {@code INTER_LINEAR} conventions). All arithmetic is float in a fixed order, so results are
   * identical on every JVM.
   */
  // kept: BoofCV AverageDownSampleOps (area, like ours) is 3.8-6.3x slower shrinking, FDistort
  // 2.1-2.9x slower enlarging and changes 80-92 % of the samples, docs/BENCHMARKS.md
  public static Raster resize(Raster src, int x, int y, int w, int h, int outW, int outH) {
    checkRegion(src, x, y, w, h);
    if (outW <= 0 || outH <= 0) {
      throw new IllegalArgumentException("output size must be positive, got " + outW + "x" + outH);
    }
    Taps tx = Taps.of(w, outW);
    Taps ty = Taps.of(h, outH);
    byte[] in = src.data();
    int width = src.width();
    // Horizontal pass over the rows the vertical pass will read: h rows × outW pixels.
    float[] mid = new float[h * outW * 3];
    for (int r = 0; r < h; r++) {
      int rowBase = ((y + r) * width + x) * 3;
      int midBase = r * outW * 3;
      for (int o = 0; o < outW; o++) {
        float sr = 0;
        float sg = 0;
        float sb = 0;
        int start = tx.start[o];
        int off = o * tx.maxTaps;
        for (int k = 0; k < tx.count[o]; k++) {
          float wt = tx.weight[off + k];
          int i = rowBase + (start + k) * 3;
          sr += wt * (in[i] & 0xFF);
          sg += wt * (in[i + 1] & 0xFF);
          sb += wt * (in[i + 2] & 0xFF);
        }
        int m = midBase + o * 3;
        mid[m] = sr;
        mid[m + 1] = sg;
        mid[m + 2] = sb;
      }
    }
    byte[] out = new byte[outW * outH * 3];
    int rowLen = outW * 3;
    float[] acc = new float[rowLen];
    for (int o = 0; o < outH; o++) {
      java.util.Arrays.fill(acc, 0f);
      int start = ty.start[o];
      int off = o * ty.maxTaps;
      for (int k = 0; k < ty.count[o]; k++) {
        float wt = ty.weight[off + k];
        int m = (start + k) * rowLen;
        for (int j = 0; j < rowLen; j++) {
          acc[j] += wt * mid[m + j];
        }
      }
      int base = o * rowLen;
      for (int j = 0; j < rowLen; j++) {
        int v = (int) (acc[j] + 0.5f);
        out[base + j] = (byte) (v < 0 ? 0 : Math.min(v, 255));
      }
    }
    return Raster.of(outW, outH, out);
  }

  private static void checkRegion(Raster src, int x, int y, int w, int h) {
    if (w <= 0 || h <= 0 || x < 0 || y < 0 || x + w > src.width() || y + h > src.height()) {
      throw new IllegalArgumentException(
          "region " + x + "," + y + " " + w + "x" + h + " is not inside " + src);
    }
  }

  /** Per-output-pixel source taps of one axis: first index, count and weights (summing to 1). */
  private static final class Taps {
    final int[] start;
    final int[] count;
    final float[] weight;
    final int maxTaps;

    private Taps(int n, int maxTaps) {
      this.start = new int[n];
      this.count = new int[n];
      this.weight = new float[n * maxTaps];
      this.maxTaps = maxTaps;
    }

    static Taps of(int in, int out) {
      double scale = (double) in / out;
      if (scale > 1) {
        int maxTaps = (int) Math.ceil(scale) + 1;
        Taps t = new Taps(out, maxTaps);
        for (int o = 0; o < out; o++) {
          double a = o * scale;
          double b = Math.min(in, (o + 1) * scale);
          int first = (int) Math.floor(a);
          int last = Math.min(in - 1, (int) Math.ceil(b) - 1);
          t.start[o] = first;
          t.count[o] = last - first + 1;
          for (int i = first; i <= last; i++) {
            double cover = Math.min(b, i + 1) - Math.max(a, i);
            t.weight[o * maxTaps + (i - first)] = (float) (cover / (b - a));
          }
        }
        return t;
      }
      Taps t = new Taps(out, 2);
      for (int o = 0; o < out; o++) {
        double pos = (o + 0.5) * scale - 0.5;
        pos = Math.max(0, Math.min(in - 1, pos));
        int i0 = (int) Math.floor(pos);
        float f = (float) (pos - i0);
        t.start[o] = i0;
        if (i0 + 1 < in && f > 0) {
          t.count[o] = 2;
          t.weight[o * 2] = 1 - f;
          t.weight[o * 2 + 1] = f;
        } else {
          t.count[o] = 1;
          t.weight[o * 2] = 1;
        }
      }
      return t;
    }
  }
}
