package dev.ssrl.gpu;

import java.util.concurrent.ForkJoinPool;

/**
 * Creates {@link RolloutScorer}s: the GPU scorer when it is wanted and usable, else the CPU scorer
 * over {@code ssrl-verify} on all cores, with identical results either way. The choice and its
 * reason are reported by {@link RolloutScorer#onGpu()} and {@link RolloutScorer#reason()}.
 */
public final class RolloutScorers {
  private RolloutScorers() {}

  /**
   * A scorer for {@code preference}. {@link ScorerPreference#AUTO} falls back to the CPU when
   * {@link GpuContext#available()} is false (it is also false under {@code
   * -Dssrl.gpu.disable=true}) or when the GPU kernels fail to load.
   *
   * @throws IllegalStateException for {@link ScorerPreference#GPU} when no GPU can be used (with
   *     the reason)
   * @throws NullPointerException if {@code preference} is null
   */
  public static RolloutScorer create(ScorerPreference preference) {
    return create(preference, ForkJoinPool.commonPool());
  }

  /**
   * As {@link #create(ScorerPreference)}; a CPU scorer scores in {@code pool} (its parallelism
   * bounds the threads used).
   *
   * @throws NullPointerException if an argument is null
   */
  public static RolloutScorer create(ScorerPreference preference, ForkJoinPool pool) {
    java.util.Objects.requireNonNull(preference, "preference");
    java.util.Objects.requireNonNull(pool, "pool");
    if (preference == ScorerPreference.CPU) {
      return new CpuRolloutScorer(pool, "CPU requested (ScorerPreference.CPU)");
    }
    if (!GpuContext.available()) {
      String why = "no usable GPU: " + GpuContext.reason();
      if (preference == ScorerPreference.GPU) {
        throw new IllegalStateException(why);
      }
      return new CpuRolloutScorer(pool, why);
    }
    GpuContext context = null;
    try {
      context = GpuContext.open();
      return new GpuRolloutScorer(context, true);
    } catch (RuntimeException e) {
      if (context != null) {
        context.close();
      }
      String why = "the GPU could not be used: " + e.getMessage();
      if (preference == ScorerPreference.GPU) {
        throw new IllegalStateException(why, e);
      }
      return new CpuRolloutScorer(pool, why);
    }
  }
}
