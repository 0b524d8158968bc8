package dev.ssrl.gpu;

import dev.ssrl.api.Reward;
import dev.ssrl.verify.Advantages;
import dev.ssrl.verify.SpatialSsrlReward;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * The CPU fallback: {@code ssrl-verify}'s {@link SpatialSsrlReward} scored on all cores of a
 * fork-join pool, in contiguous chunks written straight into the result arrays, and {@link
 * Advantages} group by group. It is the definition the GPU kernels are checked against, so both
 * scorers give the same numbers.
 */
final class CpuRolloutScorer implements RolloutScorer {
  private final ForkJoinPool pool;
  private final String reason;

  CpuRolloutScorer(ForkJoinPool pool, String reason) {
    this.pool = Objects.requireNonNull(pool, "pool");
    this.reason = reason;
  }

  @Override
  public RolloutScores score(List<String> responses, List<String> truths, double formatWeight) {
    GpuRolloutScorer.checkBatch(responses, truths, formatWeight);
    List<String> r = responses instanceof RandomAccess ? responses : new ArrayList<>(responses);
    List<String> t = truths instanceof RandomAccess ? truths : new ArrayList<>(truths);
    int n = r.size();
    float[] format = new float[n];
    float[] accuracy = new float[n];
    double[] overall = new double[n];
    SpatialSsrlReward reward = SpatialSsrlReward.withFormatWeight(formatWeight);
    // Each item is scored straight into the result arrays (no request or reward list per batch):
    // the reward reads about 50 characters of a typical response, so a per-item wrapper would
    // cost about half as much again. Items are independent, so the arrays are the same whatever
    // the chunking and thread count.
    int chunks = chunkCount(n, pool.getParallelism());
    if (chunks <= 1) {
      scoreRange(reward, r, t, format, accuracy, overall, 0, n);
    } else {
      int size = (n + chunks - 1) / chunks;
      pool.submit(
              () ->
                  IntStream.range(0, chunks)
                      .parallel()
                      .forEach(
                          c ->
                              scoreRange(
                                  reward,
                                  r,
                                  t,
                                  format,
                                  accuracy,
                                  overall,
                                  c * size,
                                  Math.min(n, (c + 1) * size))))
          .join();
    }
    return new RolloutScores(format, accuracy, overall);
  }

  /** A few chunks per thread (uneven lengths balance), none under 64 items (as BatchScorer). */
  static int chunkCount(int n, int parallelism) {
    return Math.max(1, Math.min(Math.max(1, parallelism) * 4, n / 64));
  }

  private static void scoreRange(
      SpatialSsrlReward reward,
      List<String> responses,
      List<String> truths,
      float[] format,
      float[] accuracy,
      double[] overall,
      int from,
      int to) {
    for (int i = from; i < to; i++) {
      Reward w = reward.score(responses.get(i), truths.get(i));
      format[i] = (float) w.format();
      accuracy[i] = (float) w.accuracy();
      overall[i] = w.overall();
    }
  }

  @Override
  public double[] advantages(double[] rewards, int[] groupOffsets, AdvantageMode mode) {
    Objects.requireNonNull(mode, "mode");
    GpuRolloutScorer.checkGroups(rewards, groupOffsets);
    double[] out = new double[rewards.length];
    for (int g = 0; g + 1 < groupOffsets.length; g++) {
      double[] group = Arrays.copyOfRange(rewards, groupOffsets[g], groupOffsets[g + 1]);
      double[] a = mode == AdvantageMode.GRPO ? Advantages.grpo(group) : Advantages.drGrpo(group);
      System.arraycopy(a, 0, out, groupOffsets[g], a.length);
    }
    return out;
  }

  @Override
  public boolean onGpu() {
    return false;
  }

  @Override
  public String reason() {
    return reason;
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "CpuRolloutScorer[" + pool.getParallelism() + " threads; " + reason + "]";
  }
}
