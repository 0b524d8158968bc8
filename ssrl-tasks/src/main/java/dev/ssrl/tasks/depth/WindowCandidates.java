package dev.ssrl.tasks.depth;

import dev.ssrl.tasks.impl.Parallel;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * The candidate windows of one normalised depth map for a {@link CandidateQuery}: per band, the
 * windows in raster order (top, then left) with their exact minimum and maximum, and their mean on
 * demand. This is all the depth and position tasks read of the window statistics, so an engine (a
 * GPU) need return only this rather than four full per-window grids.
 *
 * <p>{@link #find} is the reference: {@link WindowStats} over the whole map, then one scan for the
 * candidates. Engines must give the same windows, minima and maxima bit for bit ({@link
 * #fromSearch} checks what it can). Means are {@link WindowStats#mean}'s: {@code (quantizedSum *
 * 2^-32) / k²} (a candidate is fully valid), the sum taken exactly from the map on demand.
 *
 * <p>Immutable and thread-safe; it keeps a reference to the map for the means, so the map must not
 * change afterwards (the tasks pass a {@link DepthNormalizer.Normalized}'s values).
 */
public final class WindowCandidates {
  private final int width;
  private final int height;
  private final CandidateQuery query;
  private final int[] k;
  private final int[][] index;
  private final float[][] min;
  private final float[][] max;
  private final WindowSums sums;

  private WindowCandidates(
      float[] map,
      int width,
      int height,
      CandidateQuery query,
      int[] k,
      int[][] index,
      float[][] min,
      float[][] max) {
    this.width = width;
    this.height = height;
    this.query = query;
    this.k = k;
    this.index = index;
    this.min = min;
    this.max = max;
    this.sums = new WindowSums(map, width, height);
  }

  /**
   * The candidates of {@code map} for {@code query}, computed on the CPU (the reference).
   *
   * @param map row-major {@code width × height} values, NaN or in [0, 1]; kept for the means, so it
   *     must not change afterwards
   * @throws IllegalArgumentException where {@link WindowStats#compute} throws it (sizes, length, a
   *     value neither NaN nor in [0, 1])
   * @throws NullPointerException if an argument is null
   */
  public static WindowCandidates find(float[] map, int width, int height, CandidateQuery query) {
    return search(map, width, height, query, k -> WindowStats.computeShared(map, width, height, k));
  }

  /**
   * The candidates from full window statistics: {@code statsOf.apply(k)} gives the statistics of
   * all k × k windows of {@code map} (asked for the query's window side, then, if some band has no
   * candidate, for its fallback's). What a {@link WindowStatsEngine} that computes only full grids
   * does by default.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the statistics are not of this map's size and that k
   */
  public static WindowCandidates search(
      float[] map, int width, int height, CandidateQuery query, IntFunction<WindowStats> statsOf) {
    Objects.requireNonNull(map, "map");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(statsOf, "statsOf");
    int bands = query.bands();
    int[] ks = new int[bands];
    int[][] index = new int[bands][];
    float[][] mins = new float[bands][];
    float[][] maxs = new float[bands][];
    boolean[] wanted = new boolean[bands];
    Arrays.fill(wanted, true);
    scanInto(
        statsOf,
        map,
        width,
        height,
        query,
        query.k(),
        query.range(),
        wanted,
        ks,
        index,
        mins,
        maxs);
    if (query.hasFallback()) {
      boolean any = false;
      for (int b = 0; b < bands; b++) {
        wanted[b] = index[b].length == 0;
        any |= wanted[b];
      }
      if (any) {
        scanInto(
            statsOf,
            map,
            width,
            height,
            query,
            query.fallbackK(),
            query.fallbackRange(),
            wanted,
            ks,
            index,
            mins,
            maxs);
      }
    }
    return new WindowCandidates(map, width, height, query, ks, index, mins, maxs);
  }

  /** Scans the k × k statistics for the wanted bands and stores what it found in the outputs. */
  private static void scanInto(
      IntFunction<WindowStats> statsOf,
      float[] map,
      int width,
      int height,
      CandidateQuery query,
      int k,
      double range,
      boolean[] wanted,
      int[] ks,
      int[][] index,
      float[][] mins,
      float[][] maxs) {
    WindowStats ws = Objects.requireNonNull(statsOf.apply(k), "statistics for k=" + k);
    if (ws.width() != width || ws.height() != height || ws.k() != k) {
      throw new IllegalArgumentException(
          "statistics " + ws + " are not of the " + width + "x" + height + " map with k=" + k);
    }
    int[][] found = scan(ws, map, query, range, wanted);
    int cols = ws.columns();
    for (int b = 0; b < found.length; b++) {
      if (!wanted[b]) {
        continue;
      }
      int[] idx = found[b];
      float[] lo = new float[idx.length];
      float[] hi = new float[idx.length];
      for (int j = 0; j < idx.length; j++) {
        int x = idx[j] % cols;
        int y = idx[j] / cols;
        lo[j] = ws.minRow(y)[x];
        hi[j] = ws.maxRow(y)[x];
      }
      ks[b] = k;
      index[b] = idx;
      mins[b] = lo;
      maxs[b] = hi;
    }
  }

  /**
   * The qualifying windows of every wanted band, as window indices {@code y * columns + x}, in
   * raster order. One pass into growing arrays (flat scenes qualify hundreds of thousands of
   * windows; a counting pass first would read every window twice), window rows cut into parts
   * ({@link Parallel}) whose lists are joined in part order, which is the raster order. Checks run
   * cheapest first: margin, centre band, range, then full validity (which the range test alone
   * cannot show: an empty window has max - min = -Inf).
   */
  static int[][] scan(
      WindowStats ws, float[] map, CandidateQuery query, double range, boolean[] wanted) {
    // A side longer than the map gives no window (and no rows to read, though rows() may be > 0).
    int rows = ws.columns() == 0 ? 0 : ws.rows();
    int bands = query.bands();
    int parts = Parallel.parts(rows, (long) rows * ws.columns());
    int[][][] byPart = new int[parts][][];
    int[][] sizesByPart = new int[parts][];
    Parallel.forRanges(
        rows,
        parts,
        (part, from, to) -> {
          int[] sizes = new int[bands];
          byPart[part] = scanRows(ws, map, query, range, wanted, from, to, sizes);
          sizesByPart[part] = sizes;
        });
    int[][] out = new int[bands][];
    for (int b = 0; b < bands; b++) {
      int total = 0;
      for (int p = 0; p < parts; p++) {
        total += sizesByPart[p][b];
      }
      out[b] = new int[total];
      int at = 0;
      for (int p = 0; p < parts; p++) {
        System.arraycopy(byPart[p][b], 0, out[b], at, sizesByPart[p][b]);
        at += sizesByPart[p][b];
      }
    }
    return out;
  }

  /** The qualifying windows of window rows [from, to), per band; {@code sizes} gets the counts. */
  private static int[][] scanRows(
      WindowStats ws,
      float[] map,
      CandidateQuery query,
      double range,
      boolean[] wanted,
      int from,
      int to,
      int[] sizes) {
    int cols = ws.columns();
    int k = ws.k();
    int half = k / 2;
    int full = k * k;
    int w = ws.width();
    double xLo = query.margin() * ws.width();
    double xHi = (1 - query.margin()) * ws.width();
    double yLo = query.margin() * ws.height();
    double yHi = (1 - query.margin()) * ws.height();
    int[][] out = new int[sizes.length][];
    for (int b = 0; b < out.length; b++) {
      out[b] = new int[wanted[b] ? 1024 : 0];
    }
    for (int y = from; y < to; y++) {
      int cy = y + half;
      if (cy < yLo || cy > yHi) {
        continue;
      }
      int centreRow = cy * w + half;
      int row = y * cols;
      float[] mins = ws.minRow(y);
      float[] maxs = ws.maxRow(y);
      for (int x = 0; x < cols; x++) {
        int cx = x + half;
        if (cx < xLo || cx > xHi) {
          continue;
        }
        int b = query.bandOf(map[centreRow + x]); // NaN is in no band
        if (b >= 0
            && wanted[b]
            && query.flat(mins[x], maxs[x], range)
            && ws.countAt(x, y) == full) {
          if (sizes[b] == out[b].length) {
            out[b] = Arrays.copyOf(out[b], 2 * out[b].length);
          }
          out[b][sizes[b]++] = row + x;
        }
      }
    }
    return out;
  }

  /**
   * Candidates found elsewhere (an engine), per band: the window side each band's candidates were
   * found with, their indices {@code top * (width - k + 1) + left} in strictly increasing (raster)
   * order, and their minima and maxima; the arrays are taken as given, not copied, and must not be
   * modified afterwards. The values must follow the definition exactly ({@link #find} gives them);
   * what can be checked cheaply is.
   *
   * @param map the map the candidates are of (kept for the means; must not change afterwards)
   * @throws IllegalArgumentException if the band count differs from the query's, a band's window
   *     side is neither the query's nor its fallback's, array lengths differ, or an index is out of
   *     range or out of order (naming the band)
   * @throws NullPointerException if an argument is null
   */
  public static WindowCandidates fromSearch(
      float[] map,
      int width,
      int height,
      CandidateQuery query,
      int[] k,
      int[][] index,
      float[][] min,
      float[][] max) {
    Objects.requireNonNull(map, "map");
    Objects.requireNonNull(query, "query");
    if ((long) width * height != map.length || width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "map length " + map.length + " does not match " + width + "x" + height);
    }
    int bands = query.bands();
    if (k.length != bands || index.length != bands || min.length != bands || max.length != bands) {
      throw new IllegalArgumentException("expected " + bands + " bands in every array");
    }
    for (int b = 0; b < bands; b++) {
      if (k[b] != query.k() && k[b] != query.fallbackK()) {
        throw new IllegalArgumentException(
            "band " + b + ": window side " + k[b] + " is not the query's");
      }
      if (index[b].length != min[b].length || index[b].length != max[b].length) {
        throw new IllegalArgumentException("band " + b + ": index, min and max lengths differ");
      }
      long windows = (long) Math.max(0, width - k[b] + 1) * Math.max(0, height - k[b] + 1);
      int previous = -1;
      for (int i : index[b]) {
        if (i <= previous || i >= windows) {
          throw new IllegalArgumentException(
              "band " + b + ": window index " + i + " out of range or raster order");
        }
        previous = i;
      }
    }
    return new WindowCandidates(map, width, height, query, k, index, min, max);
  }

  /** The map width. */
  public int width() {
    return width;
  }

  /** The map height. */
  public int height() {
    return height;
  }

  /** The query these are the candidates of. */
  public CandidateQuery query() {
    return query;
  }

  /** The number of bands (the query's). */
  public int bands() {
    return k.length;
  }

  /** The window side of band b's candidates: the query's, or its fallback's. */
  public int k(int band) {
    return k[band];
  }

  /** The number of candidates of band b. */
  public int size(int band) {
    return index[band].length;
  }

  /** The left column of candidate j of band b. */
  public int left(int band, int j) {
    return index[band][j] % (width - k[band] + 1);
  }

  /** The top row of candidate j of band b. */
  public int top(int band, int j) {
    return index[band][j] / (width - k[band] + 1);
  }

  /** The smallest value of candidate j of band b. */
  public float min(int band, int j) {
    return min[band][j];
  }

  /** The largest value of candidate j of band b. */
  public float max(int band, int j) {
    return max[band][j];
  }

  /** The {@link WindowStats#quantizedSum quantized sum} of candidate j of band b. */
  public long quantizedSum(int band, int j) {
    Objects.checkIndex(j, index[band].length);
    return sums.sum(left(band, j), top(band, j), k[band]);
  }

  /**
   * The mean of candidate j of band b, as {@link WindowStats#mean} gives it: {@code (quantizedSum *
   * 2^-32) / k²}.
   */
  public double mean(int band, int j) {
    int c = k[band] * k[band];
    return (quantizedSum(band, j) * 0x1p-32) / c;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("WindowCandidates[" + width + "x" + height);
    for (int b = 0; b < k.length; b++) {
      s.append(", band ").append(b).append(": ").append(size(b)).append(" of k=").append(k[b]);
    }
    return s.append(']').toString();
  }
}
