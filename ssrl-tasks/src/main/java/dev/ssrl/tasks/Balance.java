package dev.ssrl.tasks;

import dev.ssrl.api.GenerationOptions;
import java.util.SplittableRandom;

/**
 * Balancing against image-position priors ({@code ssrl generate --balance}, generation parameter
 * {@code ssrl.balance=true}): the depth and position tasks then choose their regions so that image
 * height does not give the depth answer away (docs/baselines.md). Without the parameter no task
 * draws anything from here, so unbalanced samples keep their bytes.
 *
 * <p>The balancing draws (which kind of sample this one should be) come from their own random
 * stream, seeded from the sample seed, so that the region draws see the same sequence as without
 * balancing: a balanced sample whose target the unbalanced draw already meets is the unbalanced
 * sample plus a {@code balance} metadata entry.
 */
public final class Balance {
  private Balance() {}

  /** The generation parameter that turns balancing on. */
  public static final String PARAMETER = "ssrl.balance";

  /**
   * Default share of depth samples whose regions must contradict the image-height order; the rest
   * follow it, so "order by height" is right for 1 − 0.83 = 17 % of samples, the chance rate of a
   * guessed permutation of three (1/6).
   */
  static final double DEPTH_AGAINST_HEIGHT = 0.83;

  /** Default share of position samples with a depth component whose depth word follows height. */
  static final double POSITION_WITH_HEIGHT = 0.5;

  /** Default weights of x-only, z-only and compound position answers. */
  static final String POSITION_KINDS = "1,1,1";

  /** Whether {@code ssrl.balance} is true ({@link TaskParameters#bool}). */
  static boolean enabled(GenerationOptions options) {
    return TaskParameters.bool(options, PARAMETER, false);
  }

  /** A share in [0, 1] from {@code key}, or {@code fallback}. */
  static double share(GenerationOptions options, String key, double fallback) {
    return TaskParameters.number(options, key, fallback, 0, 1, "a number in [0, 1]");
  }

  /** The balancing stream of a sample: independent of {@code new SplittableRandom(seed)}. */
  static SplittableRandom random(long seed) {
    return new SplittableRandom(seed ^ 0x5DEECE66DL * 0x9E3779B97F4A7C15L);
  }

  /** An index drawn with the given weights. */
  static int pick(SplittableRandom random, int[] weights) {
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    int r = random.nextInt(total);
    for (int i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) {
        return i;
      }
    }
    throw new AssertionError("weights sum to " + total);
  }
}
