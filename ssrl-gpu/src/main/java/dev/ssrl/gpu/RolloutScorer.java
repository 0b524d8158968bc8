package dev.ssrl.gpu;

import java.util.List;

/**
 * Scores batches of rollouts with the reference-compatible reward (SPEC §5.1) and computes
 * group-relative advantages (SPEC §5.2), on the GPU or on the CPU. Both give identical numbers, so
 * callers obtain one from {@link RolloutScorers#create} and never branch on where it runs.
 * Implementations are thread-safe.
 */
public interface RolloutScorer extends AutoCloseable {
  /**
   * Scores {@code responses[i]} against {@code truths[i]} for every i.
   *
   * @param responses model outputs; a null response scores as the empty string (zero)
   * @param truths ground truths, one per response
   * @param formatWeight the weight of the format score in [0, 1] (reference: 0.1, {@link
   *     GpuRolloutScorer#DEFAULT_FORMAT_WEIGHT}); accuracy gets {@code 1 - formatWeight}
   * @throws IllegalArgumentException if the lists differ in size, a truth is null, or the weight is
   *     outside [0, 1]
   * @throws IllegalStateException if the device fails (GPU only)
   */
  RolloutScores score(List<String> responses, List<String> truths, double formatWeight);

  /**
   * Group-relative advantages: group g is {@code rewards[groupOffsets[g], groupOffsets[g+1])}; a
   * group of one, or of equal rewards, gets 0 (as {@code dev.ssrl.verify.Advantages}).
   *
   * @param groupOffsets {@code groups + 1} offsets: 0 first, non-decreasing, {@code rewards.length}
   *     last
   * @throws IllegalArgumentException if the offsets are not of that shape or a reward is not finite
   * @throws IllegalStateException if the device fails (GPU only)
   */
  double[] advantages(double[] rewards, int[] groupOffsets, AdvantageMode mode);

  /** Whether this scorer runs on a GPU. */
  boolean onGpu();

  /**
   * Why this scorer was chosen: the device for a GPU scorer; for a CPU scorer, the reason the GPU
   * was not used (requested, disabled, unavailable and why, or failed to load its kernels).
   */
  String reason();

  /** Releases the device resources this scorer owns (nothing for the CPU scorer). Idempotent. */
  @Override
  void close();
}
