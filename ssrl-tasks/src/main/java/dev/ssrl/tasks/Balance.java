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
final class Balance {
  private Balance() {}

  /** The generation parameter that turns balancing on. */
  static final String PARAMETER = "ssrl.balance";

  /** Default share of depth samples whose regions must contradict the image-height order. */
  static final double DEPTH_AGAINST_HEIGHT = 0.8;

  /** Default share of position samples with a depth component whose depth word follows height. */
  static final double POSITION_WITH_HEIGHT = 0.5;

  /** Default weights of x-only, z-only and compound position answers. */
  static final String POSITION_KINDS = "1,1,1";

  /**
   * Whether {@code ssrl.balance} is {@code true} (any other value but {@code false} is an error).
   */
  static boolean enabled(GenerationOptions options) {
    String v = options.parameter(PARAMETER, "false").trim();
    if (v.equals("true")) {
      return true;
    }
    if (v.equals("false")) {
      return false;
    }
    throw new IllegalArgumentException(PARAMETER + " must be true or false, got '" + v + "'");
  }

  /** The balancing stream of a sample: independent of {@code new SplittableRandom(seed)}. */
  static SplittableRandom random(long seed) {
    return new SplittableRandom(seed ^ 0x5DEECE66DL * 0x9E3779B97F4A7C15L);
  }

  /** A share in [0, 1] from {@code key}, or {@code fallback}. */
  static double share(GenerationOptions options, String key, double fallback) {
    String v = options.parameter(key, null);
    if (v == null) {
      return fallback;
    }
    try {
      double t = Double.parseDouble(v.trim());
      if (t >= 0 && t <= 1) {
        return t;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(key + " must be a number in [0, 1], got '" + v + "'");
  }

  /** Three non-negative integer weights with a positive sum from {@code key}. */
  static int[] weights3(GenerationOptions options, String key, String fallback) {
    return weights(options, key, fallback, 3, "three non-negative integers with a positive sum");
  }

  /**
   * {@code count} comma-separated non-negative integers with a positive sum below 2^31 from {@code
   * key} (one parser for every weight parameter of the tasks); {@code what} describes the expected
   * value in the error, which always names the key and the text given.
   */
  static int[] weights(
      GenerationOptions options, String key, String fallback, int count, String what) {
    String text = options.parameter(key, fallback);
    String why = key + " must be " + what + ", got '" + text + "'";
    String[] parts = text.split(",", -1);
    if (parts.length != count) {
      throw new IllegalArgumentException(why);
    }
    int[] w = new int[count];
    long sum = 0;
    for (int i = 0; i < count; i++) {
      try {
        w[i] = Integer.parseInt(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(why, e);
      }
      if (w[i] < 0) {
        throw new IllegalArgumentException(why);
      }
      sum += w[i];
    }
    if (sum == 0 || sum > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(why + " (the sum must be positive and below 2^31)");
    }
    return w;
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
