package dev.ssrl.verify;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Group-relative advantages for GRPO-style training: each rollout's reward is compared with the
 * other rollouts of the same prompt (its group).
 *
 * <ul>
 *   <li>{@link #grpo}: (r − mean) / (std + 1e−6), std Bessel-corrected (divides by n − 1), as verl
 *       and EasyR1 compute it.
 *   <li>{@link #drGrpo}: r − mean, without the std division (Dr. GRPO).
 * </ul>
 *
 * A group of one rollout gets advantage 0 (there is nothing to compare it with); a group whose
 * rewards are all equal gets exactly 0 everywhere (not the ±1e−11 that rounding of the mean would
 * give after division by std + 1e−6). Sums run in input order, so results are deterministic. Inputs
 * are never modified. Every method throws {@link IllegalArgumentException} for a null array, and
 * for a NaN or infinite reward naming its index.
 */
public final class Advantages {
  /** Added to the std before dividing, as in verl/EasyR1. */
  public static final double EPSILON = 1e-6;

  private Advantages() {}

  /** GRPO advantages of one group (all rollouts of one prompt). */
  public static double[] grpo(double[] rewards) {
    return ofOneGroup(rewards, true);
  }

  /** Dr. GRPO advantages (no std division) of one group. */
  public static double[] drGrpo(double[] rewards) {
    return ofOneGroup(rewards, false);
  }

  /**
   * GRPO advantages of a batch holding several groups: {@code groupKeys.get(i)} names the group
   * (e.g. the prompt id) of {@code rewards[i]}; keys are compared with {@code equals}. The result
   * is in input order.
   *
   * @throws IllegalArgumentException if the lengths differ or a key is null (naming its index)
   */
  public static double[] grpo(double[] rewards, List<?> groupKeys) {
    return byGroup(rewards, groupKeys, true);
  }

  /** Dr. GRPO advantages of a batch of groups; otherwise as {@link #grpo(double[], List)}. */
  public static double[] drGrpo(double[] rewards, List<?> groupKeys) {
    return byGroup(rewards, groupKeys, false);
  }

  private static double[] ofOneGroup(double[] rewards, boolean scale) {
    checkRewards(rewards);
    int[] group = new int[rewards.length];
    return compute(rewards, group, rewards.length == 0 ? 0 : 1, scale);
  }

  private static double[] byGroup(double[] rewards, List<?> groupKeys, boolean scale) {
    checkRewards(rewards);
    if (groupKeys == null) {
      throw new IllegalArgumentException("groupKeys must not be null");
    }
    if (groupKeys.size() != rewards.length) {
      throw new IllegalArgumentException(
          "groupKeys has " + groupKeys.size() + " keys for " + rewards.length + " rewards");
    }
    // Group numbers follow first appearance in input order; the map is only a lookup.
    Map<Object, Integer> numbers = new HashMap<>();
    int[] group = new int[rewards.length];
    for (int i = 0; i < rewards.length; i++) {
      Object key = groupKeys.get(i);
      if (key == null) {
        throw new IllegalArgumentException("group key at index " + i + " is null");
      }
      Integer g = numbers.putIfAbsent(key, numbers.size());
      group[i] = g == null ? numbers.size() - 1 : g;
    }
    return compute(rewards, group, numbers.size(), scale);
  }

  private static double[] compute(double[] rewards, int[] group, int groups, boolean scale) {
    int n = rewards.length;
    int[] count = new int[groups];
    double[] sum = new double[groups];
    for (int i = 0; i < n; i++) {
      count[group[i]]++;
      sum[group[i]] += rewards[i];
    }
    double[] mean = new double[groups];
    for (int g = 0; g < groups; g++) {
      mean[g] = sum[g] / count[g];
    }
    // A group of equal rewards carries no signal; its rounded mean can still differ from the
    // rewards by an ulp, which the tiny std + epsilon divisor would blow up to ~1e-11, so such
    // groups are set to exactly 0 instead.
    boolean[] constant = new boolean[groups];
    Arrays.fill(constant, true);
    double[] first = new double[groups];
    boolean[] seen = new boolean[groups];
    for (int i = 0; i < n; i++) {
      int g = group[i];
      if (!seen[g]) {
        seen[g] = true;
        first[g] = rewards[i];
      } else if (rewards[i] != first[g]) {
        constant[g] = false;
      }
    }
    double[] squares = new double[groups];
    for (int i = 0; i < n; i++) {
      double d = rewards[i] - mean[group[i]];
      squares[group[i]] += d * d;
    }
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      int g = group[i];
      if (count[g] < 2 || constant[g]) {
        continue;
      }
      double d = rewards[i] - mean[g];
      out[i] = scale ? d / (Math.sqrt(squares[g] / (count[g] - 1)) + EPSILON) : d;
    }
    return out;
  }

  private static void checkRewards(double[] rewards) {
    if (rewards == null) {
      throw new IllegalArgumentException("rewards must not be null");
    }
    for (int i = 0; i < rewards.length; i++) {
      if (!Double.isFinite(rewards[i])) {
        throw new IllegalArgumentException(
            "reward at index " + i + " is " + rewards[i] + "; rewards must be finite");
      }
    }
  }
}
