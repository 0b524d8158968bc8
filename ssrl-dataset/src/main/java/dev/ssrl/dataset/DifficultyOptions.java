package dev.ssrl.dataset;

import dev.ssrl.tasks.Difficulty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --difficulty MIN:MAX} and {@code --difficulty TASK=MIN:MAX} ({@link GenerateOptions}) as
 * the generation parameters {@value Difficulty#PARAMETER} and {@value Difficulty#PARAMETER}{@code
 * .TASK}, which {@link Difficulty#filter} reads in both front ends. As parameters they are part of
 * the config and its hash: a resume with another range is refused.
 */
final class DifficultyOptions {
  private DifficultyOptions() {}

  /**
   * Adds the ranges to {@code params} in their canonical form.
   *
   * @param entries the {@code --difficulty} values in the order given
   * @param tasks the run's tasks (a per-task range must name one)
   * @throws IllegalArgumentException naming {@code --difficulty} and the entry if it is malformed,
   *     names a task the run does not have, repeats a task, or contradicts a {@code --param}
   */
  static void addTo(List<String> entries, List<String> tasks, Map<String, String> params) {
    Map<String, String> ranges = new LinkedHashMap<>();
    for (String entry : entries) {
      int eq = entry.indexOf('=');
      String task = eq < 0 ? null : entry.substring(0, eq).trim();
      String key = task == null ? Difficulty.PARAMETER : Difficulty.PARAMETER + "." + task;
      if (task != null && !tasks.contains(task)) {
        throw new IllegalArgumentException(
            "--difficulty "
                + entry
                + ": the run has no task '"
                + task
                + "' (tasks: "
                + tasks
                + ")");
      }
      Difficulty.Range range;
      try {
        range = Difficulty.Range.parse(eq < 0 ? entry : entry.substring(eq + 1));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--difficulty " + entry + ": " + e.getMessage() + " (or TASK=MIN:MAX)", e);
      }
      if (ranges.put(key, range.toString()) != null) {
        throw new IllegalArgumentException(
            "--difficulty gives "
                + (task == null ? "the range of every task" : "task " + task + "'s range")
                + " twice");
      }
    }
    for (Map.Entry<String, String> e : ranges.entrySet()) {
      String given = params.get(e.getKey());
      if (given != null && !sameRange(given, e.getValue())) {
        throw new IllegalArgumentException(
            "--difficulty contradicts --param " + e.getKey() + "=" + given);
      }
      params.put(e.getKey(), e.getValue());
    }
  }

  private static boolean sameRange(String text, String canonical) {
    try {
      return Difficulty.Range.parse(text).toString().equals(canonical);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
