package dev.ssrl.gpu;

import dev.ssrl.api.Reward;
import dev.ssrl.verify.Advantages;
import dev.ssrl.verify.BatchScorer;
import dev.ssrl.verify.SpatialSsrlReward;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ForkJoinPool;

/**
 * The CPU fallback: {@code ssrl-verify}'s {@link SpatialSsrlReward} scored on all cores by {@link
 * BatchScorer}, and {@link Advantages} group by group. It is the definition the GPU kernels are
 * checked against, so both scorers give the same numbers.
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
    int n = responses.size();
    List<BatchScorer.Request> requests = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      requests.add(new BatchScorer.Request(responses.get(i), truths.get(i)));
    }
    List<Reward> rewards =
        BatchScorer.of(SpatialSsrlReward.withFormatWeight(formatWeight)).score(requests, pool);
    float[] format = new float[n];
    float[] accuracy = new float[n];
    double[] overall = new double[n];
    for (int i = 0; i < n; i++) {
      Reward r = rewards.get(i);
      format[i] = (float) r.format();
      accuracy[i] = (float) r.accuracy();
      overall[i] = r.overall();
    }
    return new RolloutScores(format, accuracy, overall);
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
