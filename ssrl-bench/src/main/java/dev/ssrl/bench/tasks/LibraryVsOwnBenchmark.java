package dev.ssrl.bench.tasks;

import boofcv.abst.distort.FDistort;
import boofcv.alg.filter.misc.AverageDownSampleOps;
import boofcv.alg.misc.ImageMiscOps;
import boofcv.alg.misc.ImageStatistics;
import boofcv.alg.transform.ii.IntegralImageOps;
import boofcv.concurrency.BoofConcurrency;
import boofcv.core.image.ConvertImage;
import boofcv.struct.image.GrayS64;
import boofcv.struct.image.GrayU8;
import boofcv.struct.image.InterleavedU8;
import boofcv.struct.image.Planar;
import dev.ssrl.api.DepthMap;
import dev.ssrl.api.Raster;
import dev.ssrl.api.Scene;
import dev.ssrl.tasks.depth.DepthNormalizer;
import dev.ssrl.tasks.depth.WindowStats;
import dev.ssrl.tasks.image.RasterOps;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.blocks.PrimitiveBlocks;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.loops.LoopBuilder;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.view.Views;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.util.KthSelector;
import org.apache.commons.math3.util.MedianOf3PivotingStrategy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Each image operation the tasks perform, once with the library (BoofCV, ImgLib2, Commons Math) and
 * once with our code, on the real scenes and the sizes the tasks use there (docs/BENCHMARKS.md,
 * "Library vs own"). Methods are named {@code operation_implementation}; the two sides of a pair
 * run in the same JMH invocation, so they share the machine's noise.
 *
 * <p>Sizes, as in the tasks: the crop task's square crop of side {@code min(w, h) / 2} (crop,
 * rotations, mean difference, zoom distractors), the flip task's 2×2 tiles (flips and flip
 * difference), the shuffle task's 2×2 tile rearrangement, the depth tasks' windows (k = 25) on the
 * normalised map, and the normalisation's two percentiles.
 *
 * <p>{@link #setUp} checks, before anything is timed, that each library route gives exactly our
 * bytes (or, for resizing and percentiles, says how far it is off): a fast wrong answer is no
 * candidate.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LibraryVsOwnBenchmark {

  @Param({"diode-1", "megadepth-1"})
  public String scene;

  /**
   * BoofCV's own thread switch ({@code BoofConcurrency.USE_CONCURRENT}, on by default): BoofCV
   * splits rotations, flips and statistics over its pool from 100×100 pixels on; {@code -p
   * boofConcurrent=false} times its single-threaded code, what a dataset run with every core busy
   * would want.
   */
  @Param({"true"})
  public boolean boofConcurrent;

  private Raster img;
  private InterleavedU8 boofImg;
  private ArrayImg<UnsignedByteType, ByteArray> imgl;
  private int s;
  private int x0;
  private int y0;
  private Raster crop;
  private Raster other;
  private InterleavedU8 boofCrop;
  private InterleavedU8 boofOther;
  private int tw;
  private int th;
  private byte[] flipBuf;
  private int[] zoomOut;
  private DepthMap depth;
  private float[] norm;
  private int dw;
  private int dh;
  static final int K = 25;

  @Setup
  public void setUp() throws Exception {
    BoofConcurrency.USE_CONCURRENT = boofConcurrent;
    Scene sc = SharedScenes.files(scene).load();
    img = sc.rgb();
    int w = img.width();
    int h = img.height();
    boofImg = wrap(img.data(), w, h);
    imgl = ArrayImgs.unsignedBytes(img.data(), 3, w, h);
    s = Math.min(w, h) / 2;
    x0 = w / 5;
    y0 = h / 7;
    crop = RasterOps.crop(img, x0, y0, s, s);
    other = RasterOps.crop(img, x0 + s / 3, y0 + s / 5, s, s);
    boofCrop = wrap(crop.data(), s, s);
    boofOther = wrap(other.data(), s, s);
    tw = w / 2;
    th = h / 2;
    flipBuf = new byte[tw * 2 * th * 2 * 3];
    RasterOps.copyRegion(img.data(), w, 0, 0, flipBuf, tw * 2, 0, 0, tw * 2, th * 2);
    // The crop task's wider zoom-out: the crop box grown by s/2 on each side, clipped.
    int m = s / 2;
    int xa = Math.max(0, x0 - m);
    int ya = Math.max(0, y0 - m);
    zoomOut = new int[] {xa, ya, Math.min(w, x0 + s + m) - xa, Math.min(h, y0 + s + m) - ya};
    depth = sc.depth();
    if (depth != null) {
      DepthNormalizer.Normalized n = DepthNormalizer.normalize(depth).orElseThrow();
      norm = n.values();
      dw = n.width();
      dh = n.height();
    }
    verify();
  }

  /** Library routes must give our bytes before they are timed; resizing reports its deviation. */
  private void verify() {
    same("crop ours", crop.data(), crop_ours().data());
    same("crop boofcv", crop.data(), crop_boofcv().data);
    same("crop imglib2", crop.data(), crop_imglib2());
    same("crop imglib2 loopbuilder", crop.data(), crop_imglib2LoopBuilder());
    same("shuffle boofcv", shuffle_ours(), shuffle_boofcv().data);
    same("rotateCW boofcv", rotateCW_ours().data(), rotateCW_boofcv().data);
    same("rotateCW imglib2", rotateCW_ours().data(), rotateCW_imglib2());
    same("rotateCCW boofcv", rotateCCW_ours().data(), rotateCCW_boofcv().data);
    same("rotateCCW imglib2", rotateCCW_ours().data(), rotateCCW_imglib2());
    byte[] ours = flipBuf.clone();
    RasterOps.flipRegionInPlace(ours, tw * 2, tw, th, tw, th, 0);
    flipVertical_boofcv();
    same("flipVertical boofcv", ours, flipBuf);
    flipVertical_boofcv(); // back
    ours = flipBuf.clone();
    RasterOps.flipRegionInPlace(ours, tw * 2, tw, th, tw, th, 1);
    flipHorizontal_imglib2();
    same("flipHorizontal imglib2", ours, flipBuf);
    flipHorizontal_imglib2(); // back
    ours = flipBuf.clone();
    RasterOps.flipRegionInPlace(ours, tw * 2, tw, th, tw, th, 0);
    flipVertical_imglib2();
    same("flipVertical imglib2", ours, flipBuf);
    flipVertical_imglib2(); // back
    equal("meanAbsDiff boofcv", meanAbsDiff_ours(), meanAbsDiff_boofcv());
    equal("meanAbsDiff imglib2", meanAbsDiff_ours(), meanAbsDiff_imglib2());
    equal("flipDifferenceV boofcv", flipDifferenceV_ours(), flipDifferenceV_boofcv());
    equal("flipDifferenceH imglib2", flipDifferenceH_ours(), flipDifferenceH_imglib2());
    deviation("zoomOut boofcv average", zoomOut_ours().data(), zoomOut_boofcvAverage().data);
    deviation("zoomOut boofcv fdistort", zoomOut_ours().data(), zoomOut_boofcvDistort().data);
    deviation("zoomIn boofcv fdistort", zoomIn_ours().data(), zoomIn_boofcvDistort().data);
    if (norm != null) {
      long a = windowSums_ours();
      long b = windowSums_boofcv();
      if (a != b) {
        throw new IllegalStateException("window sums differ: " + a + " vs " + b);
      }
      equal("window means boofcv", windowMeans_ours(), windowMeans_boofcv());
      DepthNormalizer.Normalized n = DepthNormalizer.normalize(depth).orElseThrow();
      double[] lib = percentiles_commonsMath();
      System.out.printf(
          "# percentiles ours %s %s, Commons Math R_7 %s %s (identical: %b)%n",
          n.low(), n.high(), lib[0], lib[1], n.low() == lib[0] && n.high() == lib[1]);
    }
  }

  private static void same(String what, byte[] expected, byte[] actual) {
    if (!Arrays.equals(expected, actual)) {
      throw new IllegalStateException(what + " does not give our bytes");
    }
  }

  private static void equal(String what, double expected, double actual) {
    if (expected != actual) {
      throw new IllegalStateException(what + ": " + actual + ", ours " + expected);
    }
  }

  private static void deviation(String what, byte[] ours, byte[] lib) {
    int max = 0;
    long differ = 0;
    for (int i = 0; i < ours.length; i++) {
      int d = Math.abs((ours[i] & 0xFF) - (lib[i] & 0xFF));
      max = Math.max(max, d);
      differ += d == 0 ? 0 : 1;
    }
    System.out.printf(
        "# %s: %.2f%% of samples differ from ours, by at most %d%n",
        what, 100.0 * differ / ours.length, max);
  }

  /** A BoofCV view of an interleaved RGB array (no copy). */
  static InterleavedU8 wrap(byte[] data, int w, int h) {
    InterleavedU8 im = new InterleavedU8(0, 0, 3);
    im.data = data;
    im.width = w;
    im.height = h;
    im.stride = w * 3;
    im.startIndex = 0;
    return im;
  }

  // --- crop: one s × s square, as the crop task's answer ---

  // RasterOps.crop and copyRegion now run on BoofCV's copy; "ours" here is the row loop they
  // used before, kept so that the comparison can be repeated.

  @Benchmark
  public Raster crop_ours() {
    byte[] out = new byte[s * s * 3];
    ownCopyRegion(img.data(), img.width(), x0, y0, out, s, 0, 0, s, s);
    return Raster.of(s, s, out);
  }

  /** Our former {@code RasterOps.copyRegion}: one {@code System.arraycopy} per row. */
  private static void ownCopyRegion(
      byte[] src, int srcW, int sx, int sy, byte[] dst, int dstW, int dx, int dy, int w, int h) {
    for (int r = 0; r < h; r++) {
      System.arraycopy(src, ((sy + r) * srcW + sx) * 3, dst, ((dy + r) * dstW + dx) * 3, w * 3);
    }
  }

  @Benchmark
  public InterleavedU8 crop_boofcv() {
    InterleavedU8 out = new InterleavedU8(s, s, 3);
    ImageMiscOps.copy(x0, y0, 0, 0, s, s, boofImg, out);
    return out;
  }

  @Benchmark
  public byte[] crop_imglib2() {
    byte[] out = new byte[s * s * 3];
    PrimitiveBlocks.of(imgl).copy(new long[] {0, x0, y0}, out, new int[] {3, s, s});
    return out;
  }

  @Benchmark
  public byte[] crop_imglib2LoopBuilder() {
    byte[] out = new byte[s * s * 3];
    RandomAccessibleInterval<UnsignedByteType> src =
        Views.zeroMin(
            Views.interval(imgl, new long[] {0, x0, y0}, new long[] {2, x0 + s - 1, y0 + s - 1}));
    LoopBuilder.setImages(src, ArrayImgs.unsignedBytes(out, 3, s, s))
        .forEachPixel((a, b) -> b.set(a));
    return out;
  }

  // --- shuffle: the 2×2 grid's tiles copied into new places (a fixed derangement) ---

  private static final int[] SOURCE = {3, 2, 0, 1};

  @Benchmark
  public byte[] shuffle_ours() {
    byte[] out = new byte[tw * 2 * th * 2 * 3];
    for (int j = 0; j < 4; j++) {
      int t = SOURCE[j];
      ownCopyRegion(
          img.data(),
          img.width(),
          (t % 2) * tw,
          (t / 2) * th,
          out,
          tw * 2,
          (j % 2) * tw,
          (j / 2) * th,
          tw,
          th);
    }
    return out;
  }

  @Benchmark
  public InterleavedU8 shuffle_boofcv() {
    InterleavedU8 out = new InterleavedU8(tw * 2, th * 2, 3);
    for (int j = 0; j < 4; j++) {
      int t = SOURCE[j];
      ImageMiscOps.copy(
          (t % 2) * tw, (t / 2) * th, (j % 2) * tw, (j / 2) * th, tw, th, boofImg, out);
    }
    return out;
  }

  // --- rotations of the crop (the crop task's rotated distractors) ---

  @Benchmark
  public Raster rotateCW_ours() {
    return RasterOps.rotateClockwise(crop);
  }

  @Benchmark
  public InterleavedU8 rotateCW_boofcv() {
    return ImageMiscOps.rotateCW(boofCrop, new InterleavedU8(s, s, 3));
  }

  @Benchmark
  public byte[] rotateCW_imglib2() {
    // Axes (c, x, y): rotating the x axis (1) onto y (2) is ImgLib2's clockwise turn.
    byte[] out = new byte[s * s * 3];
    RandomAccessibleInterval<UnsignedByteType> view =
        Views.zeroMin(Views.rotate(ArrayImgs.unsignedBytes(crop.data(), 3, s, s), 1, 2));
    PrimitiveBlocks.of(view).copy(new long[] {0, 0, 0}, out, new int[] {3, s, s});
    return out;
  }

  @Benchmark
  public Raster rotateCCW_ours() {
    return RasterOps.rotateCounterClockwise(crop);
  }

  @Benchmark
  public InterleavedU8 rotateCCW_boofcv() {
    return ImageMiscOps.rotateCCW(boofCrop, new InterleavedU8(s, s, 3));
  }

  @Benchmark
  public byte[] rotateCCW_imglib2() {
    byte[] out = new byte[s * s * 3];
    RandomAccessibleInterval<UnsignedByteType> view =
        Views.zeroMin(Views.rotate(ArrayImgs.unsignedBytes(crop.data(), 3, s, s), 2, 1));
    PrimitiveBlocks.of(view).copy(new long[] {0, 0, 0}, out, new int[] {3, s, s});
    return out;
  }

  // --- the flip task's in-place flip of one tile (bottom-right) of the 2×2 image ---
  // Each call flips the tile again; two calls restore it, which does not matter for timing.

  @Benchmark
  public byte[] flipVertical_ours() {
    RasterOps.flipRegionInPlace(flipBuf, tw * 2, tw, th, tw, th, 0);
    return flipBuf;
  }

  @Benchmark
  public byte[] flipVertical_boofcv() {
    // BoofCV 1.2 has no interleaved flip; a vertical flip moves whole rows, so a gray view three
    // bytes per pixel wide flips the RGB tile exactly.
    GrayU8 rows = new GrayU8();
    rows.data = flipBuf;
    rows.width = tw * 3;
    rows.height = th;
    rows.stride = tw * 2 * 3;
    rows.startIndex = (th * tw * 2 + tw) * 3;
    ImageMiscOps.flipVertical(rows);
    return flipBuf;
  }

  @Benchmark
  public byte[] flipVertical_imglib2() {
    return flipWithView(2);
  }

  @Benchmark
  public byte[] flipHorizontal_ours() {
    RasterOps.flipRegionInPlace(flipBuf, tw * 2, tw, th, tw, th, 1);
    return flipBuf;
  }

  @Benchmark
  public byte[] flipHorizontal_imglib2() {
    return flipWithView(1);
  }

  /**
   * The tile copied out through an inverted view, then written back: views cannot flip in place.
   */
  private byte[] flipWithView(int axis) {
    ArrayImg<UnsignedByteType, ByteArray> all = ArrayImgs.unsignedBytes(flipBuf, 3, tw * 2, th * 2);
    RandomAccessibleInterval<UnsignedByteType> tile =
        Views.interval(all, new long[] {0, tw, th}, new long[] {2, 2 * tw - 1, 2 * th - 1});
    byte[] tmp = new byte[tw * th * 3];
    PrimitiveBlocks.of(Views.zeroMin(Views.invertAxis(tile, axis)))
        .copy(new long[] {0, 0, 0}, tmp, new int[] {3, tw, th});
    RasterOps.copyRegion(tmp, tw, 0, 0, flipBuf, tw * 2, tw, th, tw, th);
    return flipBuf;
  }

  // --- the flip task's score: mean difference between a tile and its flip ---

  @Benchmark
  public double flipDifferenceV_ours() {
    return RasterOps.flipDifference(img, tw, th, tw, th, 0);
  }

  @Benchmark
  public double flipDifferenceV_boofcv() {
    InterleavedU8 tile = boofImg.subimage(tw, th, 2 * tw, 2 * th);
    InterleavedU8 flipped = new InterleavedU8(tw, th, 3);
    ImageMiscOps.copy(0, 0, 0, 0, tw, th, tile, flipped);
    GrayU8 rows = new GrayU8();
    rows.data = flipped.data;
    rows.width = tw * 3;
    rows.height = th;
    rows.stride = tw * 3;
    ImageMiscOps.flipVertical(rows);
    return ImageStatistics.meanDiffAbs(tile, flipped);
  }

  @Benchmark
  public double flipDifferenceH_ours() {
    return RasterOps.flipDifference(img, tw, th, tw, th, 1);
  }

  @Benchmark
  public double flipDifferenceH_imglib2() {
    RandomAccessibleInterval<UnsignedByteType> tile =
        Views.zeroMin(
            Views.interval(imgl, new long[] {0, tw, th}, new long[] {2, 2 * tw - 1, 2 * th - 1}));
    long[] sum = new long[1];
    LoopBuilder.setImages(tile, Views.zeroMin(Views.invertAxis(tile, 1)))
        .forEachPixel((a, b) -> sum[0] += Math.abs(a.get() - b.get()));
    return sum[0] / ((double) tw * th * 3);
  }

  // --- mean absolute difference of two crops (distractor vs answer) ---

  @Benchmark
  public double meanAbsDiff_ours() {
    return RasterOps.meanAbsDiff(crop, other);
  }

  @Benchmark
  public double meanAbsDiff_boofcv() {
    return ImageStatistics.meanDiffAbs(boofCrop, boofOther);
  }

  @Benchmark
  public double meanAbsDiff_imglib2() {
    long[] sum = new long[1];
    LoopBuilder.setImages(
            ArrayImgs.unsignedBytes(crop.data(), 3, s, s),
            ArrayImgs.unsignedBytes(other.data(), 3, s, s))
        .forEachPixel((a, b) -> sum[0] += Math.abs(a.get() - b.get()));
    return sum[0] / ((double) s * s * 3);
  }

  // --- zoom distractors: the grown box shrunk to s × s, the central half grown to s × s ---

  @Benchmark
  public Raster zoomOut_ours() {
    return RasterOps.resize(img, zoomOut[0], zoomOut[1], zoomOut[2], zoomOut[3], s, s);
  }

  @Benchmark
  public InterleavedU8 zoomOut_boofcvAverage() {
    // AverageDownSampleOps works band by band: interleaved → planar → down → interleaved.
    InterleavedU8 region =
        boofImg.subimage(zoomOut[0], zoomOut[1], zoomOut[0] + zoomOut[2], zoomOut[1] + zoomOut[3]);
    Planar<GrayU8> in = new Planar<>(GrayU8.class, zoomOut[2], zoomOut[3], 3);
    ConvertImage.convert(region, in);
    Planar<GrayU8> small = new Planar<>(GrayU8.class, s, s, 3);
    AverageDownSampleOps.down(in, small);
    InterleavedU8 out = new InterleavedU8(s, s, 3);
    ConvertImage.convert(small, out);
    return out;
  }

  @Benchmark
  public InterleavedU8 zoomOut_boofcvDistort() {
    InterleavedU8 region =
        boofImg.subimage(zoomOut[0], zoomOut[1], zoomOut[0] + zoomOut[2], zoomOut[1] + zoomOut[3]);
    InterleavedU8 out = new InterleavedU8(s, s, 3);
    new FDistort(region, out).scaleExt().apply();
    return out;
  }

  @Benchmark
  public Raster zoomIn_ours() {
    int half = s / 2;
    int off = (s - half) / 2;
    return RasterOps.resize(img, x0 + off, y0 + off, half, half, s, s);
  }

  @Benchmark
  public InterleavedU8 zoomIn_boofcvDistort() {
    int half = s / 2;
    int off = (s - half) / 2;
    InterleavedU8 region = boofImg.subimage(x0 + off, y0 + off, x0 + off + half, y0 + off + half);
    InterleavedU8 out = new InterleavedU8(s, s, 3);
    new FDistort(region, out).scaleExt().apply();
    return out;
  }

  // --- window sums of the normalised depth (k = 25): every window's quantized sum ---
  // Both start from the same WindowStats (minima, maxima, counts; windowStatsOnly times that
  // alone), then sum every window: ours from its own integral image, the library's from
  // IntegralImageOps over the quantized map.

  @Benchmark
  public WindowStats windowStatsOnly() {
    return WindowStats.compute(norm, dw, dh, K);
  }

  @Benchmark
  public long windowSums_ours() {
    WindowStats ws = WindowStats.compute(norm, dw, dh, K);
    long acc = 0;
    for (int y = 0; y < ws.rows(); y++) {
      for (int x = 0; x < ws.columns(); x++) {
        acc += ws.quantizedSum(x, y);
      }
    }
    return acc;
  }

  @Benchmark
  public long windowSums_boofcv() {
    WindowStats ws = WindowStats.compute(norm, dw, dh, K);
    GrayS64 q = new GrayS64(dw, dh);
    for (int i = 0; i < norm.length; i++) {
      float v = norm[i];
      q.data[i] = v == v ? WindowStats.quantize(v) : 0;
    }
    GrayS64 ii = IntegralImageOps.transform(q, null);
    long acc = 0;
    for (int y = 0; y < ws.rows(); y++) {
      for (int x = 0; x < ws.columns(); x++) {
        // block_zero sums (x0, x1] × (y0, y1], reading -1 as outside: the window [x, x + K)
        // starts one to the left.
        acc += IntegralImageOps.block_zero(ii, x - 1, y - 1, x + K - 1, y + K - 1);
      }
    }
    return acc;
  }

  // The tasks' own use: a few dozen window means after the scan (here 32 spread over the map).
  // Ours adds those windows up directly; the library route needs the whole integral image.

  private static final int MEANS = 32;

  @Benchmark
  public double windowMeans_ours() {
    WindowStats ws = WindowStats.compute(norm, dw, dh, K);
    double acc = 0;
    for (int i = 0; i < MEANS; i++) {
      double m = ws.mean(i * (ws.columns() - 1) / MEANS, i * (ws.rows() - 1) / MEANS);
      acc += m == m ? m : 0;
    }
    return acc;
  }

  @Benchmark
  public double windowMeans_boofcv() {
    WindowStats ws = WindowStats.compute(norm, dw, dh, K);
    GrayS64 q = new GrayS64(dw, dh);
    for (int i = 0; i < norm.length; i++) {
      float v = norm[i];
      q.data[i] = v == v ? WindowStats.quantize(v) : 0;
    }
    GrayS64 ii = IntegralImageOps.transform(q, null);
    double acc = 0;
    for (int i = 0; i < MEANS; i++) {
      int x = i * (ws.columns() - 1) / MEANS;
      int y = i * (ws.rows() - 1) / MEANS;
      int c = ws.count(x, y);
      long sum = IntegralImageOps.block_zero(ii, x - 1, y - 1, x + K - 1, y + K - 1);
      double m = c == 0 ? Double.NaN : (sum * 0x1p-32) / c;
      acc += m == m ? m : 0;
    }
    return acc;
  }

  // --- percentile selection: depth normalisation's 0.5th and 99.5th percentiles ---

  @Benchmark
  public DepthNormalizer.Normalized normalize_ours() {
    return DepthNormalizer.normalize(depth).orElseThrow();
  }

  /** The two percentiles with Commons Math (type 7, as NumPy's default), then the same mapping. */
  @Benchmark
  public float[] normalize_commonsMath() {
    double[] p = percentiles_commonsMath();
    float[] src = depth.values();
    float[] out = new float[src.length];
    double span = p[1] - p[0];
    for (int i = 0; i < src.length; i++) {
      double v = src[i];
      out[i] =
          depth.isValid(i) && v >= p[0] && v <= p[1]
              ? (span > 0 ? (float) ((v - p[0]) / span) : 0f)
              : Float.NaN;
    }
    return out;
  }

  private double[] percentiles_commonsMath() {
    float[] src = depth.values();
    double[] valid = new double[src.length];
    int n = 0;
    for (int i = 0; i < src.length; i++) {
      if (depth.isValid(i)) {
        valid[n++] = src[i];
      }
    }
    Percentile pc =
        new Percentile()
            .withEstimationType(Percentile.EstimationType.R_7)
            .withNaNStrategy(NaNStrategy.FIXED)
            .withKthSelector(new KthSelector(new MedianOf3PivotingStrategy()));
    // setData keeps the pivots of the first selection for the second one.
    pc.setData(valid, 0, n);
    return new double[] {
      pc.evaluate(DepthNormalizer.LOW_PERCENTILE), pc.evaluate(DepthNormalizer.HIGH_PERCENTILE)
    };
  }
}
