package dev.ssrl.gpu;

import dev.ssrl.tasks.depth.CandidateQuery;
import dev.ssrl.tasks.depth.WindowCandidates;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;

/**
 * What the candidate kernels (window_candidates.cu) take from a {@link CandidateQuery}, and how a
 * query's two window sizes combine: shared by {@link GpuWindowCandidates} and the host harness
 * tests, so both run the same arguments.
 */
final class CandidateKernelArgs {
  /** sizeof(ssrl::WcQuery), whose layout {@link #query} writes (static_assert in the core). */
  static final int QUERY_BYTES = 184;

  /** The largest window side and band count the kernel takes (WC_MAX_K, WC_MAX_BANDS). */
  static final int MAX_K = 48;

  static final int MAX_BANDS = 8;

  /** Output tile of one thread block (WC_TW × WC_TH windows) and its threads. */
  static final int TILE_W = 32;

  static final int TILE_H = 16;
  static final int BLOCK_Y = 8;

  private CandidateKernelArgs() {}

  /** Whether the kernels take this query on a {@code width × height} map (else: the CPU). */
  static boolean fits(CandidateQuery q, int width, int height) {
    return q.bands() <= MAX_BANDS
        && fitsK(q.k(), width, height)
        && (!q.hasFallback() || fitsK(q.fallbackK(), width, height));
  }

  private static boolean fitsK(int k, int width, int height) {
    return k <= MAX_K && k <= width && k <= height;
  }

  /** The dynamic shared memory of one tile block for window side k (see ssrl_wc_tiles). */
  static int tileSharedBytes(int k) {
    int tileW = TILE_W + k - 1;
    int tileH = TILE_H + k - 1;
    return 4 * (tileW * tileH + 2 * tileH * TILE_W) + tileH * TILE_W;
  }

  /**
   * The ssrl::WcQuery bytes for level 0 (the query's window side and range) or 1 (its fallback's)
   * on a {@code width × height} map, little-endian as the device and x86/ARM hosts read them. The
   * centre bounds are computed here in double exactly as {@link CandidateQuery} states them.
   */
  static ByteBuffer query(CandidateQuery q, int level, int width, int height) {
    ByteBuffer b = ByteBuffer.allocate(QUERY_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, level == 0 ? q.k() : q.fallbackK());
    b.putInt(4, q.bands());
    b.putInt(8, q.inclusive() ? 1 : 0);
    b.putDouble(16, level == 0 ? q.range() : q.fallbackRange());
    b.putDouble(24, q.margin() * width);
    b.putDouble(32, (1 - q.margin()) * width);
    b.putDouble(40, q.margin() * height);
    b.putDouble(48, (1 - q.margin()) * height);
    for (int i = 0; i < q.bands(); i++) {
      b.putDouble(56 + 8 * i, q.bandLow(i));
      b.putDouble(120 + 8 * i, q.bandHigh(i));
    }
    return b;
  }

  /** The window side of a level. */
  static int k(CandidateQuery q, int level) {
    return level == 0 ? q.k() : q.fallbackK();
  }

  /** All bands: the wanted mask of level 0. */
  static int allBands(CandidateQuery q) {
    return (1 << q.bands()) - 1;
  }

  /** The bands level 0 left empty (level 1's wanted mask); 0 when the query has no fallback. */
  static int missing(CandidateQuery q, int[][] index) {
    if (!q.hasFallback()) {
      return 0;
    }
    int mask = 0;
    for (int b = 0; b < index.length; b++) {
      if (index[b].length == 0) {
        mask |= 1 << b;
      }
    }
    return mask;
  }

  /**
   * Per band lists of one map being assembled: level 0 fills every band, level 1 replaces the
   * missing ones.
   */
  static final class Found {
    final int[] k;
    final int[][] index;
    final float[][] min;
    final float[][] max;

    Found(int bands) {
      k = new int[bands];
      index = new int[bands][];
      min = new float[bands][];
      max = new float[bands][];
    }

    /**
     * Takes one level's candidates of the bands in {@code mask}: {@code starts} (bands + 1 values
     * from {@code startAt}) gives each band's first slot relative to {@code base} in the three
     * buffers (window index, min, max), which are copied in bulk into the band's arrays.
     */
    void read(
        int kLevel,
        int mask,
        int[] starts,
        int startAt,
        IntBuffer outIndex,
        FloatBuffer outMin,
        FloatBuffer outMax,
        int base) {
      for (int b = 0; b < k.length; b++) {
        if ((mask >> b & 1) == 0) {
          continue;
        }
        int from = base + starts[startAt + b];
        int n = starts[startAt + b + 1] - starts[startAt + b];
        int[] idx = new int[n];
        float[] lo = new float[n];
        float[] hi = new float[n];
        outIndex.get(from, idx);
        outMin.get(from, lo);
        outMax.get(from, hi);
        k[b] = kLevel;
        index[b] = idx;
        min[b] = lo;
        max[b] = hi;
      }
    }

    WindowCandidates result(float[] map, int width, int height, CandidateQuery q) {
      return WindowCandidates.fromSearch(map, width, height, q, k, index, min, max);
    }
  }
}
