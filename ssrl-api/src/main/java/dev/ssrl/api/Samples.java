package dev.ssrl.api;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** Sample ids and per-sample seeds: the two things that make generation reproducible. */
public final class Samples {
  private Samples() {}

  /** The sample id for a scene, task and variant: {@code <sceneId>-<taskId>-<variant>}. */
  public static String id(String sceneId, String taskId, int variant) {
    Objects.requireNonNull(sceneId, "sceneId");
    Objects.requireNonNull(taskId, "taskId");
    if (variant < 0) {
      throw new IllegalArgumentException("variant must be >= 0, got " + variant);
    }
    return sceneId + "-" + taskId + "-" + variant;
  }

  /**
   * The seed of one sample, a pure function of (run seed, scene id, task, variant) so that the same
   * inputs give the same sample whatever the thread count, order or machine split.
   *
   * <p>The strings are hashed as UTF-8 with 64-bit FNV-1a (stable across JVMs, unlike {@link
   * String#hashCode} combinations that collide easily) and mixed with SplitMix64's finaliser.
   */
  public static long seed(long runSeed, String sceneId, String taskId, int variant) {
    long h = 0xcbf29ce484222325L;
    h = fnv(h, sceneId);
    h = fnv(h ^ 0x1F, taskId);
    h ^= variant * 0x9E3779B97F4A7C15L;
    return mix(h ^ mix(runSeed));
  }

  /**
   * How many variants of a task a scene gets when each scene should get {@code perScene × weight}
   * on average: the whole part always, and one more on a deterministic, scene-dependent share of
   * scenes equal to the fractional part. A pure function of its arguments, so every generator (one
   * machine or a cluster) makes the same work items.
   *
   * @throws IllegalArgumentException if perScene is negative or weight is negative or not finite
   */
  public static int variantCount(
      long runSeed, String sceneId, String taskId, int perScene, double weight) {
    if (perScene < 0 || !(weight >= 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException(
          "perScene must be >= 0 and weight finite and >= 0, got " + perScene + ", " + weight);
    }
    double n = perScene * weight;
    int count = (int) Math.floor(n);
    double frac = n - count;
    if (frac > 0 && uniform(seed(runSeed, sceneId, "mix:" + taskId, 0)) < frac) {
      count++;
    }
    return count;
  }

  /**
   * Whether a scene belongs to the validation split: decided per scene (so no image is in both
   * splits) as a pure function of (run seed, scene id), true for about {@code valFraction} of
   * scenes.
   */
  public static boolean inValidation(long runSeed, String sceneId, double valFraction) {
    return valFraction > 0 && uniform(seed(runSeed, sceneId, "split", 0)) < valFraction;
  }

  /** The top 53 bits of a seed as a double in [0, 1). */
  private static double uniform(long bits) {
    return (bits >>> 11) * 0x1.0p-53;
  }

  private static long fnv(long h, String s) {
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xFF;
      h *= 0x100000001b3L;
    }
    return h;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
