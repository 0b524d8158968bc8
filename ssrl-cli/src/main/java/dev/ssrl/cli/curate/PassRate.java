package dev.ssrl.cli.curate;

import java.util.List;
import java.util.Locale;

/**
 * What curation decides for one sample from its rollouts: its pass rate (the share of its rollouts
 * with full accuracy) against the thresholds, and its difficulty bucket for the report.
 */
final class PassRate {
  private PassRate() {}

  /** Why a sample was kept or dropped; {@link #key} names it in the manifest and reports. */
  enum Verdict {
    /** Pass rate strictly between {@code --min-pass} and {@code --max-pass}. */
    INSIDE(true, "inside"),
    /** No rollout in the scored file, kept by {@code --unscored keep}. */
    UNSCORED_KEPT(true, "unscored"),
    /** Pass rate at or below {@code --min-pass} (by default: every rollout wrong). */
    AT_OR_BELOW_MIN(false, "atOrBelowMinPass"),
    /** Pass rate at or above {@code --max-pass} (by default: every rollout right). */
    AT_OR_ABOVE_MAX(false, "atOrAboveMaxPass"),
    /** No rollout in the scored file, dropped (the default, {@code --unscored drop}). */
    UNSCORED_DROPPED(false, "unscored");

    final boolean kept;
    final String key;

    Verdict(boolean kept, String key) {
      this.kept = kept;
      this.key = key;
    }
  }

  /**
   * The thresholds of a run.
   *
   * @param minPass a sample is kept only if its pass rate is strictly above this
   * @param maxPass ... and strictly below this
   * @param keepUnscored whether a sample without rollouts is kept
   */
  record Thresholds(double minPass, double maxPass, boolean keepUnscored) {
    /**
     * @throws IllegalArgumentException naming the option when a bound is not a finite number or the
     *     bounds leave nothing between them
     */
    Thresholds {
      if (!Double.isFinite(minPass) || !Double.isFinite(maxPass)) {
        throw new IllegalArgumentException(
            "--min-pass and --max-pass must be finite numbers, got " + minPass + " and " + maxPass);
      }
      if (!(minPass < maxPass)) {
        throw new IllegalArgumentException(
            "--min-pass ("
                + minPass
                + ") must be below --max-pass ("
                + maxPass
                + "): a pass rate strictly between them must be possible");
      }
    }

    /**
     * The verdict for a sample with {@code passes} fully right rollouts out of {@code rollouts}.
     * The rate is {@code passes / rollouts} as a double: the division and a decimal threshold are
     * both correctly rounded, so a rate equal to a threshold written in decimals (1/2 and 0.5, 3/10
     * and 0.3) compares equal, and is dropped.
     */
    Verdict verdict(long rollouts, long passes) {
      if (rollouts < 0 || passes < 0 || passes > rollouts) {
        throw new IllegalArgumentException(passes + " passes of " + rollouts + " rollouts");
      }
      if (rollouts == 0) {
        return keepUnscored ? Verdict.UNSCORED_KEPT : Verdict.UNSCORED_DROPPED;
      }
      double rate = rate(rollouts, passes);
      if (rate <= minPass) {
        return Verdict.AT_OR_BELOW_MIN;
      }
      if (rate >= maxPass) {
        return Verdict.AT_OR_ABOVE_MAX;
      }
      return Verdict.INSIDE;
    }
  }

  /** The pass rate of a scored sample. */
  static double rate(long rollouts, long passes) {
    return (double) passes / rollouts;
  }

  /** The metadata key of a sample's difficulty in [0, 1] (docs/difficulty.md). */
  static final String DIFFICULTY_KEY = "difficulty";

  /** The bucket of a sample without a difficulty in [0, 1]. */
  static final String UNKNOWN = "unknown";

  /** The difficulty buckets' lower bounds; the last bucket includes 1. */
  private static final double[] BOUNDS = {0, 0.25, 0.5, 0.75};

  /** The bucket labels in order, {@value #UNKNOWN} last. */
  static final List<String> BUCKETS =
      List.of("[0, 0.25)", "[0.25, 0.5)", "[0.5, 0.75)", "[0.75, 1]", UNKNOWN);

  /**
   * The bucket of a difficulty: {@code [0, 0.25)}, {@code [0.25, 0.5)}, {@code [0.5, 0.75)}, {@code
   * [0.75, 1]}; {@value #UNKNOWN} for null (no {@code difficulty} key, or not a number) or a value
   * outside [0, 1].
   */
  static String bucket(Double difficulty) {
    if (difficulty == null || !(difficulty >= 0 && difficulty <= 1)) {
      return UNKNOWN;
    }
    for (int i = BOUNDS.length - 1; i >= 0; i--) {
      if (difficulty >= BOUNDS[i]) {
        return BUCKETS.get(i);
      }
    }
    throw new AssertionError(difficulty);
  }

  /** A rate as the reports print it: three decimals. */
  static String format(double rate) {
    return String.format(Locale.ROOT, "%.3f", rate);
  }
}
