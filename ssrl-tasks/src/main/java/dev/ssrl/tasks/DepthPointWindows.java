package dev.ssrl.tasks;

import dev.ssrl.api.DepthMap;
import dev.ssrl.tasks.depth.CandidateQuery;
import dev.ssrl.tasks.depth.DepthNormalizer;
import dev.ssrl.tasks.depth.WindowCandidates;
import dev.ssrl.tasks.depth.WindowStatsEngine;
import dev.ssrl.tasks.depth.WindowStatsEngines;
import dev.ssrl.tasks.impl.LastScene;
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
   * The query: the depth task's window sizes and ranges ({@link DepthOrderingTask#QUERY}) with one
   * band that takes every centre value and no border margin.
   */
  static final CandidateQuery QUERY =
      CandidateQuery.of(
              DepthOrderingTask.WINDOW,
              DepthOrderingTask.RANGE,
              false,
              0,
              new double[] {Double.NEGATIVE_INFINITY},
              new double[] {Double.POSITIVE_INFINITY})
          .withFallback(DepthOrderingTask.FALLBACK_WINDOW, DepthOrderingTask.FALLBACK_RANGE);

  /**
   * What every sample of a scene shares: the normalised depth and the qualifying windows of the
   * size used (band 0 of {@link #QUERY}, raster order), or the reason the scene has none.
   */
  record Prepared(DepthNormalizer.Normalized norm, WindowCandidates candidates, String rejection) {
    /** The number of qualifying windows. */
    int size() {
      return candidates.size(0);
    }

    /** The j-th qualifying window as a region. */
    DepthOrderingTask.Region region(int j) {
      return DepthOrderingTask.Region.of(candidates, 0, j, norm.values());
    }

    /** The rule that chose the candidates, as metadata. */
    Map<String, Object> rule() {
      int k = candidates.k(0);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("window", k);
      m.put(
          "range",
          k == DepthOrderingTask.WINDOW
              ? DepthOrderingTask.RANGE
              : DepthOrderingTask.FALLBACK_RANGE);
      m.put("separation", DepthOrderingTask.SEPARATION);
      m.put("candidates", size());
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
      return new Prepared(null, null, TOO_FEW_VALID);
    }
    DepthNormalizer.Normalized norm = normalized.get();
    WindowCandidates found =
        WindowStatsEngines.candidates(windows, norm.values(), norm.width(), norm.height(), QUERY);
    if (found.size(0) == 0) {
      return new Prepared(norm, null, NO_FLAT_WINDOW);
    }
    return new Prepared(norm, found, null);
  }
}
