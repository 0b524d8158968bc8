package dev.ssrl.cli.common;

import dev.ssrl.api.Reward;
import dev.ssrl.verify.PartialCredit;
import java.util.Map;

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

  /**
   * Scores a response whose answer positions form a grid: {@code gridOrNull} is {@code CxR}
   * (columns × rows, as a shuffle sample's {@code grid} metadata names it) or null. Only a task
   * whose partial credit was chosen ({@link #withPartialCredit}) reads it; this default ignores it.
   *
   * @throws IllegalArgumentException naming {@code grid} when a grid that is read is malformed or
   *     does not fit the answer
   */
  default Reward score(String taskIdOrNull, String response, String answer, String gridOrNull) {
    return score(taskIdOrNull, response, answer);
  }

  /**
   * This scoring with the partial credit of some permutation tasks chosen, for scoring by task
   * (tolerant); the reference reward is unchanged. This default knows no modes: it accepts only an
   * empty choice.
   *
   * @param modes task id → mode
   * @throws IllegalArgumentException naming a task that is unknown, does not answer permutations or
   *     brings its own verifier
   */
  default Scoring withPartialCredit(Map<String, PartialCredit> modes) {
    if (modes.isEmpty()) {
      return this;
    }
    throw new IllegalArgumentException("this scoring has no partial-credit modes");
  }

  /** The advantage of each reward of one group of rollouts of the same prompt. */
  double[] advantages(double[] groupRewards);
}
