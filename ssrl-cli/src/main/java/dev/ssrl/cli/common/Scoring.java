package dev.ssrl.cli.common;

import dev.ssrl.api.Reward;

/**
 * What {@code score} and {@code serve} need from the reward library: one response's reward and the
 * group-relative advantages of a group of rewards. Implementations are thread-safe.
 */
public interface Scoring {
  /**
   * Scores a response.
   *
   * @param taskIdOrNull the task the answer belongs to (chooses tolerant parsing), or null for the
   *     reference reward
   * @param response the model output; null or empty scores zero
   * @param answer the ground truth
   */
  Reward score(String taskIdOrNull, String response, String answer);

  /** The advantage of each reward of one group of rollouts of the same prompt. */
  double[] advantages(double[] groupRewards);
}
