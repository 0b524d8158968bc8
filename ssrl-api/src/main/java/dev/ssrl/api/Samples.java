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
