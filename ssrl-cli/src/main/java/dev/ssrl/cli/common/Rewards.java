package dev.ssrl.cli.common;

import dev.ssrl.api.AnswerFormat;
import dev.ssrl.api.Reward;
import dev.ssrl.api.Task;
import dev.ssrl.api.Tasks;
import dev.ssrl.api.Verifier;
import dev.ssrl.verify.Advantages;
import dev.ssrl.verify.PartialCredit;
import dev.ssrl.verify.Verifiers;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the command line gets its {@link Scoring}: each task's verifier ({@link Verifiers#forTask}:
 * its own, or its answer format's default, or the partial credit chosen for it), the reference
 * reward when no task is named, and GRPO advantages.
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
    private final Map<String, Task> tasks;
    private final Map<String, Verifier> byTask;
    // The partial credit chosen per task (--partial-credit); a line's grid is read for these only.
    private final Map<String, PartialCredit> modes;
    private final Verifier unknown = Verifiers.forFormat(AnswerFormat.EXACT);

    VerifyScoring() {
      this.tasks = Tasks.all();
      Map<String, Verifier> m = new HashMap<>();
      for (Task t : tasks.values()) {
        m.put(t.id(), Verifiers.forTask(t));
      }
      this.byTask = Map.copyOf(m);
      this.modes = Map.of();
    }

    private VerifyScoring(
        Map<String, Task> tasks, Map<String, Verifier> byTask, Map<String, PartialCredit> modes) {
      this.tasks = tasks;
      this.byTask = byTask;
      this.modes = modes;
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
    public Reward score(String taskIdOrNull, String response, String answer, String gridOrNull) {
      PartialCredit mode = taskIdOrNull == null ? null : modes.get(taskIdOrNull);
      if (mode == null || gridOrNull == null) {
        return score(taskIdOrNull, response, answer);
      }
      int[] grid = grid(gridOrNull);
      return Verifiers.permutation(mode, grid[0], grid[1]).score(response, answer);
    }

    @Override
    public Scoring withPartialCredit(Map<String, PartialCredit> chosen) {
      if (chosen.isEmpty()) {
        return this;
      }
      Map<String, Verifier> v = new HashMap<>(byTask);
      Map<String, PartialCredit> m = new HashMap<>(modes);
      for (Map.Entry<String, PartialCredit> e : chosen.entrySet()) {
        Task t = tasks.get(e.getKey());
        if (t == null) {
          throw new IllegalArgumentException(
              "unknown task '"
                  + e.getKey()
                  + "' (known: "
                  + String.join(", ", tasks.keySet())
                  + ")");
        }
        v.put(t.id(), Verifiers.forTask(t, e.getValue()));
        m.put(t.id(), e.getValue());
      }
      return new VerifyScoring(tasks, Map.copyOf(v), Map.copyOf(m));
    }

    @Override
    public double[] advantages(double[] groupRewards) {
      return Advantages.grpo(groupRewards);
    }
  }

  /**
   * {@code CxR} as columns and rows, each 1 to 64 (a shuffle grid has at most 8 per side; the
   * ground truth must have C × R labels).
   *
   * @throws IllegalArgumentException naming the field {@code grid} otherwise
   */
  static int[] grid(String s) {
    String t = s.strip().toLowerCase(java.util.Locale.ROOT);
    int x = t.indexOf('x');
    if (x > 0 && x < t.length() - 1 && t.length() <= 5) {
      try {
        int c = Integer.parseInt(t.substring(0, x));
        int r = Integer.parseInt(t.substring(x + 1));
        if (c >= 1 && r >= 1 && c <= 64 && r <= 64) {
          return new int[] {c, r};
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new IllegalArgumentException(
        "field 'grid' must be CxR, columns x rows from 1 to 64 (e.g. 2x2), got '"
            + (s.length() <= 40 ? s : s.substring(0, 40) + "…")
            + "'");
  }
}
