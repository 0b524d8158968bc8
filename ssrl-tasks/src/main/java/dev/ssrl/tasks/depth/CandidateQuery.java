package dev.ssrl.tasks.depth;

import java.util.Arrays;

/**
 * Which {@code k × k} windows of a normalised depth map are candidates, as the depth and position
 * tasks define them; answered by {@link WindowCandidates#find} (the reference) or a {@link
 * WindowStatsEngine}. Immutable.
 *
 * <p>Window (x, y) (top-left corner; centre {@code (cx, cy) = (x + k/2, y + k/2)}, centre value
 * {@code c = map[cy * width + cx]} widened to double) is a candidate of band b when all hold:
 *
 * <ol>
 *   <li>b is the first band with {@code bandLow[b] <= c <= bandHigh[b]} (a NaN centre is in none);
 *   <li>{@code margin * width <= cx <= (1 - margin) * width} and likewise for cy with the height
 *       (every product in double, as written);
 *   <li>{@code (double) max - (double) min < range}, or {@code <= range} when the range is
 *       inclusive, with min/max the window's extremes ({@link WindowStats#min}/{@link
 *       WindowStats#max});
 *   <li>every pixel of the window is valid (count = k²).
 * </ol>
 *
 * <p>A query may have a <em>fallback</em> (another window size and range, same bands, margin and
 * inclusiveness): the bands for which the first size finds no candidate are searched again with the
 * fallback. The depth task looks for 25 × 25 windows and falls back to 11 × 11 for bands without
 * one; an engine then keeps the map where it is (a GPU's memory) for both sizes.
 */
public final class CandidateQuery {
  private final int k;
  private final double range;
  private final boolean inclusive;
  private final double margin;
  private final double[] bandLow;
  private final double[] bandHigh;
  private final int fallbackK;
  private final double fallbackRange;

  private CandidateQuery(
      int k,
      double range,
      boolean inclusive,
      double margin,
      double[] bandLow,
      double[] bandHigh,
      int fallbackK,
      double fallbackRange) {
    this.k = k;
    this.range = range;
    this.inclusive = inclusive;
    this.margin = margin;
    this.bandLow = bandLow;
    this.bandHigh = bandHigh;
    this.fallbackK = fallbackK;
    this.fallbackRange = fallbackRange;
  }

  /**
   * A query without fallback.
   *
   * @param k the window side, at least 1
   * @param range the bound on max - min (a number)
   * @param inclusive whether a range equal to the bound qualifies
   * @param margin the share of each side a centre keeps off the border, in [0, 0.5]
   * @param bandLow the lower band bounds (inclusive), one per band, at least one and at most 8
   * @param bandHigh the upper band bounds (inclusive), as many
   * @throws IllegalArgumentException naming the offending argument
   */
  public static CandidateQuery of(
      int k, double range, boolean inclusive, double margin, double[] bandLow, double[] bandHigh) {
    if (k < 1) {
      throw new IllegalArgumentException("window side k must be at least 1, got " + k);
    }
    if (Double.isNaN(range)) {
      throw new IllegalArgumentException("range must be a number");
    }
    if (!(margin >= 0 && margin <= 0.5)) {
      throw new IllegalArgumentException("margin must be in [0, 0.5], got " + margin);
    }
    if (bandLow.length != bandHigh.length || bandLow.length < 1 || bandLow.length > 8) {
      throw new IllegalArgumentException(
          "bands: need 1 to 8 lower and as many upper bounds, got "
              + bandLow.length
              + " and "
              + bandHigh.length);
    }
    for (int b = 0; b < bandLow.length; b++) {
      if (Double.isNaN(bandLow[b]) || Double.isNaN(bandHigh[b])) {
        throw new IllegalArgumentException("band " + b + " has a NaN bound");
      }
    }
    return new CandidateQuery(
        k, range, inclusive, margin, bandLow.clone(), bandHigh.clone(), 0, Double.NaN);
  }

  /**
   * This query with a fallback: bands without a candidate at this window size are searched with
   * windows of side {@code k} and this {@code range}.
   *
   * @throws IllegalArgumentException if k is below 1 or the range is NaN
   * @throws IllegalStateException if this query already has a fallback
   */
  public CandidateQuery withFallback(int k, double range) {
    if (fallbackK != 0) {
      throw new IllegalStateException("this query already has a fallback");
    }
    if (k < 1) {
      throw new IllegalArgumentException("fallback window side must be at least 1, got " + k);
    }
    if (Double.isNaN(range)) {
      throw new IllegalArgumentException("fallback range must be a number");
    }
    return new CandidateQuery(this.k, this.range, inclusive, margin, bandLow, bandHigh, k, range);
  }

  /** The window side of the first search. */
  public int k() {
    return k;
  }

  /** The range bound of the first search. */
  public double range() {
    return range;
  }

  /** Whether a range equal to the bound qualifies. */
  public boolean inclusive() {
    return inclusive;
  }

  /** The share of each side a centre keeps off the border. */
  public double margin() {
    return margin;
  }

  /** The number of bands. */
  public int bands() {
    return bandLow.length;
  }

  /** The lower bound (inclusive) of band b. */
  public double bandLow(int b) {
    return bandLow[b];
  }

  /** The upper bound (inclusive) of band b. */
  public double bandHigh(int b) {
    return bandHigh[b];
  }

  /** Whether this query has a fallback. */
  public boolean hasFallback() {
    return fallbackK != 0;
  }

  /** The fallback window side, 0 when there is none. */
  public int fallbackK() {
    return fallbackK;
  }

  /** The fallback range bound, NaN when there is none. */
  public double fallbackRange() {
    return fallbackRange;
  }

  /**
   * The band of a window with this centre value, or -1 when it is in none (the first matching band,
   * as the definition says).
   */
  public int bandOf(double centre) {
    for (int b = 0; b < bandLow.length; b++) {
      if (centre >= bandLow[b] && centre <= bandHigh[b]) {
        return b;
      }
    }
    return -1;
  }

  /** Whether a window with these extremes passes the range test with this bound. */
  boolean flat(float min, float max, double bound) {
    double r = (double) max - (double) min;
    return inclusive ? r <= bound : r < bound;
  }

  @Override
  public String toString() {
    return "CandidateQuery[k="
        + k
        + ", range "
        + (inclusive ? "<= " : "< ")
        + range
        + ", margin "
        + margin
        + ", bands "
        + Arrays.toString(bandLow)
        + ".."
        + Arrays.toString(bandHigh)
        + (fallbackK == 0 ? "" : ", fallback k=" + fallbackK + " range " + fallbackRange)
        + "]";
  }
}
