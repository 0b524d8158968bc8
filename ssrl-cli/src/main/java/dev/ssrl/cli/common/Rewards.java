package dev.ssrl.cli.common;

import dev.ssrl.api.AnswerFormat;
import dev.ssrl.api.Reward;
import dev.ssrl.api.Task;
import dev.ssrl.api.Tasks;
import dev.ssrl.api.Verifier;
import dev.ssrl.verify.Advantages;
import dev.ssrl.verify.Verifiers;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the command line gets its {@link Scoring}: each task's verifier ({@link Verifiers#forTask}:
 * its own, or its answer format's default), the reference reward when no task is named, and GRPO
 * advantages.
 */
public final class Rewards {
  private Rewards() {}

  private static final Scoring SCORING = new VerifyScoring();

  /** The reward scoring of this build (thread-safe, shared). */
  public static Scoring scoring() {
    return SCORING;
  }

  public static final class VerifyScoring implements Scoring {
    // One verifier per task known at start-up, each the task's own choice (Verifiers.forTask),
    // built once: a cache filled by client-chosen task strings grew without bound (issue 16: 4,096
    // distinct 3 KB names per request filled a 512 MB heap). An unknown task gets the exact-match
    // verifier without being remembered.
    private final Map<String, Verifier> byTask = knownTasks();
    private final Verifier unknown = Verifiers.forFormat(AnswerFormat.EXACT);

    private static Map<String, Verifier> knownTasks() {
      Map<String, Verifier> m = new HashMap<>();
      for (Task t : Tasks.all().values()) {
        m.put(t.id(), Verifiers.forTask(t));
      }
      return Map.copyOf(m);
    }

    /** The verifier of a task: the same object for a known id, one shared one otherwise. */
    public Verifier verifier(String taskId) {
      return byTask.getOrDefault(taskId, unknown);
    }

    @Override
    public Reward score(String taskIdOrNull, String response, String answer) {
      Verifier v = taskIdOrNull == null ? Verifiers.reference() : verifier(taskIdOrNull);
      return v.score(response, answer);
    }

    @Override
    public double[] advantages(double[] groupRewards) {
      return Advantages.grpo(groupRewards);
    }
  }
}
