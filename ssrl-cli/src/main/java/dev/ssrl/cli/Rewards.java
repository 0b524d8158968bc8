package dev.ssrl.cli;

import dev.ssrl.api.Reward;
import dev.ssrl.api.Verifier;
import dev.ssrl.verify.Advantages;
import dev.ssrl.verify.Verifiers;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the command line gets its {@link Scoring}: ssrl-verify's per-task default verifiers ({@link
 * Verifiers#forTask}), the reference reward when no task is named, and GRPO advantages.
 */
final class Rewards {
  private Rewards() {}

  private static final Scoring SCORING = new VerifyScoring();

  /** The reward scoring of this build (thread-safe, shared). */
  static Scoring scoring() {
    return SCORING;
  }

  private static final class VerifyScoring implements Scoring {
    // Verifiers.forTask may scan the class path for an unknown id; a server calls this per item.
    private final Map<String, Verifier> byTask = new ConcurrentHashMap<>();

    @Override
    public Reward score(String taskIdOrNull, String response, String answer) {
      Verifier v =
          taskIdOrNull == null
              ? Verifiers.reference()
              : byTask.computeIfAbsent(taskIdOrNull, Verifiers::forTask);
      return v.score(response, answer);
    }

    @Override
    public double[] advantages(double[] groupRewards) {
      return Advantages.grpo(groupRewards);
    }
  }
}
