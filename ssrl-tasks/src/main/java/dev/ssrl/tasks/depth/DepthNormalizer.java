package dev.ssrl.tasks.depth;

import dev.ssrl.api.DepthMap;
import dev.ssrl.tasks.impl.Parallel;
import java.util.Objects;
import java.util.Optional;

/**
 * Depth normalisation shared by the depth tasks (SPEC §1): robust percentile clipping, then a
 * linear map to [0, 1] with 0 the nearest.
 *
 * <p>Definition, precisely (the GPU module reproduces it bit for bit):
 *
 * <ol>
 *   <li>The valid pixels are those {@link DepthMap#isValid(int)} accepts (not 0, NaN, ±Inf or
 *       masked out). When {@code 20 * valid < width * height} (fewer than 5% valid) the map is
 *       refused: {@link #normalize} returns empty.
 *   <li>{@code low} and {@code high} are the 0.5th and 99.5th percentiles of the valid values with
 *       linear interpolation between order statistics, NumPy's default {@code method="linear"}
 *       (Hyndman–Fan type 7): with the {@code n} valid values sorted ascending as {@code
 *       x[0..n-1]}, {@code h = (p / 100) * (n - 1)}, {@code f = floor(h)}, and the percentile is
 *       {@code x[f] + (h - f) * (x[f + 1] - x[f])} (just {@code x[f]} when {@code f = n - 1}), all
 *       in double.
 *   <li>A valid pixel with value {@code v < low} or {@code v > high} becomes invalid; the others
 *       map to {@code (float) ((v - low) / (high - low))} computed in double, which always lies in
 *       [0, 1]. When {@code high == low} (constant depth) every kept pixel maps to 0.
 *   <li>Invalid pixels hold NaN in the output.
 * </ol>
 *
 * <p>The order statistics are found by an exact two-pass radix selection on the values' sortable
 * bit patterns (linear time, no sorting), which is why this class does not use Commons Math:
 * normalising with Commons Math's {@code Percentile} (type R_7, the same estimate on the shared
 * scenes) measured 2.0-2.2× slower (docs/BENCHMARKS.md, "Library vs own").
 */
public final class DepthNormalizer {
  /** The lower clipping percentile. */
  public static final double LOW_PERCENTILE = 0.5;

  /** The upper clipping percentile. */
  public static final double HIGH_PERCENTILE = 99.5;

  private DepthNormalizer() {}

  /**
   * A normalised depth map.
   *
   * @param width the width
   * @param height the height
   * @param values row-major normalised depth in [0, 1], NaN where invalid (owned by the record; do
   *     not modify)
   * @param low the 0.5th percentile of the valid source depth (maps to 0)
   * @param high the 99.5th percentile of the valid source depth (maps to 1)
   * @param sourceValid the number of valid source pixels
   * @param kept the number of pixels valid after clipping (non-NaN in {@code values})
   */
  public record Normalized(
      int width, int height, float[] values, double low, double high, int sourceValid, int kept) {
    /** The normalised value at (x, y), NaN when invalid. */
    public float at(int x, int y) {
      Objects.checkIndex(x, width);
      Objects.checkIndex(y, height);
      return values[y * width + x];
    }
  }

  /**
   * Normalises a depth map as described in the class comment.
   *
   * @return the normalised map, or empty when fewer than 5% of the pixels are valid
   * @throws NullPointerException if {@code depth} is null
   */
  public static Optional<Normalized> normalize(DepthMap depth) {
    return normalize(depth, LOW_PERCENTILE, HIGH_PERCENTILE);
  }

  /**
   * Normalises with other clipping percentiles ({@code 0 <= lowPercentile < highPercentile <=
   * 100}); {@code 0, 100} is plain min–max over the valid pixels (nothing clipped), the
   * normalisation of the original Position.py.
   *
   * @throws IllegalArgumentException if the percentiles are out of order or range
   */
  public static Optional<Normalized> normalize(
      DepthMap depth, double lowPercentile, double highPercentile) {
    Objects.requireNonNull(depth, "depth");
    if (!(lowPercentile >= 0 && lowPercentile < highPercentile && highPercentile <= 100)) {
      throw new IllegalArgumentException(
          "percentiles must satisfy 0 <= low < high <= 100, got "
              + lowPercentile
              + ", "
              + highPercentile);
    }
    int w = depth.width();
    int h = depth.height();
    int size = w * h;
    float[] src = depth.values();
    byte[] mask = depth.mask();
    // Sortable keys of the valid values: for floats, flipping the magnitude bits of negatives makes
    // signed-int order equal to numeric order, so selection can run on integers. The histogram of
    // their high 16 bits (the selection's first pass) is built in the same loop. With the map cut
    // into parts (Parallel), part p packs its keys from index from(p) on and keeps its own
    // histogram; the parts are then added up, which gives the same counts as one pass.
    int parts = Parallel.parts(size, size);
    int[] keys = new int[size];
    int[][] hists = new int[parts][];
    int[] segFrom = new int[parts];
    int[] segLen = new int[parts];
    // The output first holds the valid source values (NaN elsewhere), so the second pass needs no
    // validity test: NaN fails the clipping comparisons by itself.
    float[] out = new float[size];
    Parallel.forRanges(
        size,
        parts,
        (part, from, to) -> {
          int[] hist = new int[1 << 16];
          int n = from;
          for (int i = from; i < to; i++) {
            float v = src[i];
            // DepthMap.isValid, inlined: not 0, finite, and not masked out.
            if (v != 0f && Float.isFinite(v) && (mask == null || mask[i] != 0)) {
              int b = Float.floatToRawIntBits(v);
              int key = b ^ ((b >> 31) & 0x7FFFFFFF);
              keys[n++] = key;
              hist[(key >>> 16) ^ 0x8000]++; // ^0x8000 turns signed order into bucket order
              out[i] = v;
            } else {
              out[i] = Float.NaN;
            }
          }
          hists[part] = hist;
          segFrom[part] = from;
          segLen[part] = n - from;
        });
    int[] highHist = hists[0];
    int n = segLen[0];
    for (int p = 1; p < parts; p++) {
      int[] hist = hists[p];
      for (int i = 0; i < highHist.length; i++) {
        highHist[i] += hist[i];
      }
      n += segLen[p];
    }
    if ((long) n * 20 < size) {
      return Optional.empty();
    }
    double[] p = percentiles(keys, segFrom, segLen, n, highHist, lowPercentile, highPercentile);
    double low = p[0];
    double high = p[1];
    double span = high - low;
    int[] keptByPart = new int[parts];
    Parallel.forRanges(
        size,
        parts,
        (part, from, to) -> {
          int kept = 0;
          for (int i = from; i < to; i++) {
            double v = out[i];
            if (v >= low && v <= high) {
              out[i] = span > 0 ? (float) ((v - low) / span) : 0f;
              kept++;
            } else {
              out[i] = Float.NaN;
            }
          }
          keptByPart[part] = kept;
        });
    int kept = 0;
    for (int k : keptByPart) {
      kept += k;
    }
    return Optional.of(new Normalized(w, h, out, low, high, n, kept));
  }

  /**
   * The type-7 percentiles {@code ps} (each 0..100) of {@code n} sortable keys, stored in segments
   * ({@code keys[segFrom[s] .. segFrom[s] + segLen[s])}), given the histogram of their high 16
   * bits: one more pass histograms the low 16 bits of the keys in the (at most {@code 2 *
   * ps.length}) high-bits buckets that hold a needed order statistic.
   */
  // kept: Commons Math Percentile (R_7, KthSelector) makes normalisation 2.0-2.2x slower here,
  // docs/BENCHMARKS.md
  static double[] percentiles(
      int[] keys, int[] segFrom, int[] segLen, int n, int[] highHist, double... ps) {
    int[] ranks = new int[2 * ps.length];
    double[] fractions = new double[ps.length];
    for (int j = 0; j < ps.length; j++) {
      double hIndex = (ps[j] / 100.0) * (n - 1);
      int f = (int) Math.floor(hIndex);
      ranks[2 * j] = f;
      ranks[2 * j + 1] = Math.min(f + 1, n - 1);
      fractions[j] = hIndex - f;
    }
    // The bucket of each rank, and the count of keys in lower buckets.
    int[] bucketOf = new int[ranks.length];
    int[] below = new int[ranks.length];
    for (int r = 0; r < ranks.length; r++) {
      int bucket = 0;
      int seen = 0;
      while (seen + highHist[bucket] <= ranks[r]) {
        seen += highHist[bucket++];
      }
      bucketOf[r] = bucket;
      below[r] = seen;
    }
    // Distinct buckets, each with its own low-bits histogram, all filled in one pass.
    int[] distinct = new int[ranks.length];
    int buckets = 0;
    int[] slotOf = new int[ranks.length];
    for (int r = 0; r < ranks.length; r++) {
      int slot = 0;
      while (slot < buckets && distinct[slot] != bucketOf[r]) {
        slot++;
      }
      if (slot == buckets) {
        distinct[buckets++] = bucketOf[r];
      }
      slotOf[r] = slot;
    }
    int[] highOf = new int[buckets];
    for (int b = 0; b < buckets; b++) {
      highOf[b] = distinct[b] ^ 0x8000;
    }
    // One low-bits histogram per needed bucket, per segment (in parallel), then added up.
    int segments = segFrom.length;
    int[][][] perSegment = new int[segments][][];
    int nb = buckets;
    Parallel.forRanges(
        segments,
        segments,
        (part, from, to) -> {
          for (int sgm = from; sgm < to; sgm++) {
            perSegment[sgm] = lowHistograms(keys, segFrom[sgm], segLen[sgm], highOf, nb);
          }
        });
    int[][] lowHist = perSegment[0];
    for (int sgm = 1; sgm < segments; sgm++) {
      for (int b = 0; b < buckets; b++) {
        int[] into = lowHist[b];
        int[] add = perSegment[sgm][b];
        for (int i = 0; i < into.length; i++) {
          into[i] += add[i];
        }
      }
    }
    int[] found = new int[ranks.length];
    for (int r = 0; r < ranks.length; r++) {
      int[] hist = lowHist[slotOf[r]];
      int low = 0;
      int seen = below[r];
      while (seen + hist[low] <= ranks[r]) {
        seen += hist[low++];
      }
      found[r] = (highOf[slotOf[r]] << 16) | low;
    }
    double[] out = new double[ps.length];
    for (int j = 0; j < ps.length; j++) {
      double lower = valueOf(found[2 * j]);
      double upper = valueOf(found[2 * j + 1]);
      out[j] = ranks[2 * j] >= n - 1 ? lower : lower + fractions[j] * (upper - lower);
    }
    return out;
  }

  /**
   * Low-16-bit histograms of the keys in {@code keys[from, from + len)} for each high half. The
   * one- and two-bucket cases (nearly every map: both percentiles' neighbours share one or two
   * buckets) have loops of their own; the general loop alone made normalisation about 0.5 ms (13 %)
   * slower on diode-1.
   */
  private static int[][] lowHistograms(int[] keys, int from, int len, int[] highOf, int buckets) {
    int[][] lowHist = new int[buckets][1 << 16];
    int end = from + len;
    if (buckets == 1) {
      int h0 = highOf[0];
      int[] l0 = lowHist[0];
      for (int i = from; i < end; i++) {
        int key = keys[i];
        if ((key >>> 16) == h0) {
          l0[key & 0xFFFF]++;
        }
      }
    } else if (buckets == 2) {
      int h0 = highOf[0];
      int h1 = highOf[1];
      int[] l0 = lowHist[0];
      int[] l1 = lowHist[1];
      for (int i = from; i < end; i++) {
        int key = keys[i];
        int high = key >>> 16;
        if (high == h0) {
          l0[key & 0xFFFF]++;
        } else if (high == h1) {
          l1[key & 0xFFFF]++;
        }
      }
    } else {
      for (int i = from; i < end; i++) {
        int key = keys[i];
        int high = key >>> 16;
        for (int b = 0; b < buckets; b++) {
          if (high == highOf[b]) {
            lowHist[b][key & 0xFFFF]++;
            break;
          }
        }
      }
    }
    return lowHist;
  }

  private static double valueOf(int key) {
    return Float.intBitsToFloat(key ^ ((key >> 31) & 0x7FFFFFFF));
  }
}
