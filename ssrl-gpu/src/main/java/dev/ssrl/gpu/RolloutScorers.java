package dev.ssrl.gpu;

import java.util.Objects;
import java.util.concurrent.ForkJoinPool;

/**
 * Creates {@link RolloutScorer}s, choosing the engine by measurement, with identical results either
 * way. The choice and its reason are reported by {@link #choose}, by {@link RolloutScorer#onGpu()}
 * and {@link RolloutScorer#reason()}, and logged (INFO, {@code System.Logger} {@code
 * dev.ssrl.gpu.RolloutScorers}) when a scorer is created.
 *
 * <p><b>The rule for {@link ScorerPreference#AUTO}: the CPU, always.</b> Measured end to end from
 * Java Strings (JMH {@code GpuBench}, NVIDIA H200, driver 580.159.04, 16 cores; docs/gpu.md and
 * docs/BENCHMARKS.md):
 *
 * <table>
 *   <caption>responses per second</caption>
 *   <tr><th>batch</th><th>GPU scorer</th><th>CPU scorer, 16 cores</th></tr>
 *   <tr><td>65,536 × 1 KB</td><td>1.5–1.9 M/s</td><td>15–28 M/s</td></tr>
 *   <tr><td>4,096 × 16 KB</td><td>69–85 k/s</td><td>14–18 M/s</td></tr>
 * </table>
 *
 * <p>The GPU is 8–19× slower at 1 KB and 160–260× at 16 KB, and no response length reverses that:
 * the CPU reward decides from the right end ({@code ssrl-verify}'s {@code Scan}) and reads about 50
 * characters whatever the length (0.19 µs per 1 KB response), whereas the GPU path must encode and
 * copy every byte of every response to the device (1.8 µs per KB for the UTF-8 packing alone; PCIe
 * alone caps 16 KB responses at 2.7 M/s, below the CPU's 14 M/s). So AUTO does not even probe for a
 * GPU (no native code is loaded). The GPU scorer is <em>not recommended</em>; it stays selectable
 * with {@link ScorerPreference#GPU} for measurement and for callers who have established a case
 * where it wins.
 */
public final class RolloutScorers {
  private static final System.Logger LOG = System.getLogger(RolloutScorers.class.getName());

  /** The reason AUTO gives for the CPU: the measurement behind the rule, in one line. */
  static final String AUTO_CPU_REASON =
      "AUTO scores on the CPU: measured end to end from Java strings (H200, 16 cores), the GPU"
          + " scorer is 8-19x slower at 1 KB (1.5-1.9 vs 15-28 M responses/s) and 160-260x at"
          + " 16 KB (69-85 k vs 14-18 M/s), since the CPU reward reads about 50 characters from the"
          + " right while the GPU path packs and copies every byte (docs/gpu.md)";

  private RolloutScorers() {}

  /**
   * Which engine {@link #create} uses for a preference, and why.
   *
   * @param gpu whether the scorer runs on a GPU
   * @param reason one line: the preference and the measurement or failure behind the choice
   */
  public record Choice(boolean gpu, String reason) {
    /**
     * @throws NullPointerException if {@code reason} is null
     */
    public Choice {
      Objects.requireNonNull(reason, "reason");
    }

    /** {@code "gpu"} or {@code "cpu"}. */
    public String engine() {
      return gpu ? "gpu" : "cpu";
    }
  }

  /**
   * The engine {@code preference} asks for: CPU for {@link ScorerPreference#CPU} and {@link
   * ScorerPreference#AUTO} (the class comment gives the measurement), GPU for {@link
   * ScorerPreference#GPU}. It does not check that a GPU is usable; {@link #create} does.
   *
   * @throws NullPointerException if {@code preference} is null
   */
  public static Choice choose(ScorerPreference preference) {
    Objects.requireNonNull(preference, "preference");
    switch (preference) {
      case CPU:
        return new Choice(false, "CPU requested (ScorerPreference.CPU)");
      case AUTO:
        return new Choice(false, AUTO_CPU_REASON);
      default:
        return new Choice(
            true, "GPU requested (ScorerPreference.GPU; not recommended, docs/gpu.md)");
    }
  }

  /**
   * A scorer for {@code preference} ({@link #choose}), scoring on the CPU in the common fork-join
   * pool.
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
   * @throws IllegalStateException for {@link ScorerPreference#GPU} when no GPU can be used (with
   *     the reason)
   * @throws NullPointerException if an argument is null
   */
  public static RolloutScorer create(ScorerPreference preference, ForkJoinPool pool) {
    Choice choice = choose(preference);
    Objects.requireNonNull(pool, "pool");
    RolloutScorer scorer = choice.gpu() ? openGpu() : new CpuRolloutScorer(pool, choice.reason());
    LOG.log(
        System.Logger.Level.INFO,
        () -> "rollout scorer: " + (scorer.onGpu() ? "gpu" : "cpu") + " (" + scorer.reason() + ")");
    return scorer;
  }

  private static RolloutScorer openGpu() {
    if (!GpuContext.available()) {
      throw new IllegalStateException("no usable GPU: " + GpuContext.reason());
    }
    GpuContext context = null;
    try {
      context = GpuContext.open();
      return new GpuRolloutScorer(context, true);
    } catch (RuntimeException e) {
      if (context != null) {
        context.close();
      }
      throw new IllegalStateException("the GPU could not be used: " + e.getMessage(), e);
    }
  }
}
