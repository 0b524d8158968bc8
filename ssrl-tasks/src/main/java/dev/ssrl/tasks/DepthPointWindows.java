package dev.ssrl.tasks;

import dev.ssrl.api.DepthMap;
import dev.ssrl.tasks.depth.DepthNormalizer;
import dev.ssrl.tasks.depth.WindowStats;
import dev.ssrl.tasks.depth.WindowStatsEngine;
import dev.ssrl.tasks.depth.WindowStatsEngines;
import dev.ssrl.tasks.impl.LastScene;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The candidate windows of the {@code depth-points} task ({@link DepthPointsTask}): the {@code
 * depth} task's flat-window rule ({@link DepthOrderingTask}) without its three bands. A window
 * qualifies when it is fully valid on the normalised map and its range {@code (double) max -
 * (double) min} is below 0.15 (25×25 windows); a scene with no such window is searched again with
 * 11×11 windows and range below 0.20.
 *
 * <p>Why no bands: K fixed bands (the depth task's three generalised to K equal bands 0.05 apart)
 * were tried first and left most scenes without a flat window in some band once K ≥ 4 (on the 24
 * built-in scenes: 13 of 24 yielded a sample at K = 4, 2 of 24 at K = 8). The points are spread by
 * the separation rule instead ({@link DepthPointsTask}).
 */
final class DepthPointWindows {
  private DepthPointWindows() {}

  /** The reason a scene with fewer than 5 % valid depth pixels has no points. */
  static final String TOO_FEW_VALID = "too few valid pixels";

  /** The reason a scene has no flat window of either size. */
  static final String NO_FLAT_WINDOW = "no flat window";

  /**
   * What every sample of a scene shares: the normalised depth, the window statistics of the size
   * used and the qualifying windows (indices {@code y * columns + x}, raster order), or the reason
   * the scene has none.
   */
  record Prepared(
      DepthNormalizer.Normalized norm, WindowStats stats, int[] candidates, String rejection) {
    /** The rule that chose the candidates, as metadata. */
    Map<String, Object> rule() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("window", stats.k());
      m.put(
          "range",
          stats.k() == DepthOrderingTask.WINDOW
              ? DepthOrderingTask.RANGE
              : DepthOrderingTask.FALLBACK_RANGE);
      m.put("separation", DepthOrderingTask.SEPARATION);
      m.put("candidates", candidates.length);
      return m;
    }
  }

  /** The last scene each thread prepared (see {@link LastScene}), per engine. */
  private static final LastScene<Prepared> LAST = new LastScene<>();

  /** The scene's candidates, computed once per scene and engine on each thread. */
  static Prepared prepared(DepthMap depth, WindowStatsEngine windows) {
    return LAST.get(depth, windows, () -> prepare(depth, windows));
  }

  private static Prepared prepare(DepthMap depth, WindowStatsEngine windows) {
    Optional<DepthNormalizer.Normalized> normalized = DepthNormalizer.normalize(depth);
    if (normalized.isEmpty()) {
      return new Prepared(null, null, null, TOO_FEW_VALID);
    }
    DepthNormalizer.Normalized norm = normalized.get();
    int w = norm.width();
    int h = norm.height();
    WindowStats big =
        WindowStatsEngines.compute(windows, norm.values(), w, h, DepthOrderingTask.WINDOW);
    int[] found = scan(big, DepthOrderingTask.RANGE);
    if (found.length > 0) {
      return new Prepared(norm, big, found, null);
    }
    WindowStats small =
        WindowStatsEngines.compute(windows, norm.values(), w, h, DepthOrderingTask.FALLBACK_WINDOW);
    found = scan(small, DepthOrderingTask.FALLBACK_RANGE);
    if (found.length > 0) {
      return new Prepared(norm, small, found, null);
    }
    return new Prepared(norm, null, null, NO_FLAT_WINDOW);
  }

  /** The fully valid windows whose range is below {@code maxRange}, in raster order. */
  static int[] scan(WindowStats ws, double maxRange) {
    int cols = ws.columns();
    int full = ws.k() * ws.k();
    int[] out = new int[1024];
    int size = 0;
    for (int y = 0; y < ws.rows(); y++) {
      float[] mins = ws.minRow(y);
      float[] maxs = ws.maxRow(y);
      for (int x = 0; x < cols; x++) {
        // An empty window has max - min = -Inf: the count test is what rules it out.
        if ((double) maxs[x] - (double) mins[x] < maxRange && ws.countAt(x, y) == full) {
          if (size == out.length) {
            out = Arrays.copyOf(out, 2 * out.length);
          }
          out[size++] = y * cols + x;
        }
      }
    }
    return Arrays.copyOf(out, size);
  }
}
