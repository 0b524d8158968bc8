package dev.ssrl.dataset;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The manifest's {@code counts}, {@code totals} and {@code rejects}, as a front end tallies its
 * lines. Tasks appear in config order, then in the order first seen; reject keys sorted.
 */
public final class Counts {
  private final boolean hasVal;
  private final Map<String, long[]> perTask = new LinkedHashMap<>();
  private final Map<String, Map<String, Long>> rejects = new TreeMap<>();
  private long rejected;
  // Histogram of the samples' prompt-token estimates: exact percentiles, merge-order free.
  private final TreeMap<Integer, Long> promptTokens = new TreeMap<>();
  // Scenes whose depth-task samples used sensor or estimated depth; null: no depth model in use.
  private long[] depthScenes;

  /**
   * @param tasks the config's tasks, each counted (with 0) even if it wrote nothing
   * @param valFraction the config's; without a val split the manifest has no {@code val} counts
   */
  public Counts(List<String> tasks, double valFraction) {
    this.hasVal = valFraction > 0;
    for (String t : tasks) {
      perTask.put(t, new long[2]);
    }
  }

  /** Adds {@code n} samples of a task to a split ({@value DatasetFormat#TRAIN} or val). */
  public void samples(String task, String split, long n) {
    perTask.computeIfAbsent(task, k -> new long[2])[DatasetFormat.VAL.equals(split) ? 1 : 0] += n;
  }

  /** Adds {@code n} rejections of a task under a key ({@link RejectLine#countKey}). */
  public void rejects(String task, String key, long n) {
    rejects.computeIfAbsent(task, k -> new TreeMap<>()).merge(key, n, Long::sum);
    rejected += n;
  }

  /**
   * Adds {@code n} samples whose metadata estimates {@code tokens} prompt tokens ({@code
   * promptTokens}, dev.ssrl.tasks.Sizing).
   */
  public void promptTokens(int tokens, long n) {
    promptTokens.merge(tokens, n, Long::sum);
  }

  /**
   * Adds scenes with samples of a depth task by where their depth came from: a depth file (sensor)
   * or {@code --depth-model} (estimated). Called only by runs with a depth model, so that the
   * manifest of any other run stays as it was.
   */
  public void depthScenes(long sensor, long estimated) {
    if (depthScenes == null) {
      depthScenes = new long[2];
    }
    depthScenes[0] += sensor;
    depthScenes[1] += estimated;
  }

  /** The manifest's {@code depthScenes} ({@code sensor}, {@code estimated}); null when unused. */
  Map<String, Object> depthScenesMap() {
    if (depthScenes == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sensor", depthScenes[0]);
    m.put("estimated", depthScenes[1]);
    return m;
  }

  public long train() {
    return perTask.values().stream().mapToLong(c -> c[0]).sum();
  }

  public long val() {
    return perTask.values().stream().mapToLong(c -> c[1]).sum();
  }

  public long rejected() {
    return rejected;
  }

  /** Samples per task, both splits together. */
  public Map<String, Long> perTask() {
    Map<String, Long> m = new LinkedHashMap<>();
    perTask.forEach((t, c) -> m.put(t, c[0] + c[1]));
    return m;
  }

  /** Rejections per task and key (a copy). */
  public Map<String, Map<String, Long>> rejectsByTask() {
    Map<String, Map<String, Long>> m = new TreeMap<>();
    rejects.forEach((t, r) -> m.put(t, Collections.unmodifiableMap(new TreeMap<>(r))));
    return m;
  }

  Map<String, Object> countsMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    perTask.forEach((t, c) -> m.put(t, splitMap(c[0], c[1])));
    return m;
  }

  /**
   * The manifest's {@code promptTokens}: {@code max} and {@code p99} (nearest rank: the smallest
   * estimate at least 99 % of the samples do not exceed) of the samples' estimates, 0 for none.
   */
  Map<String, Object> promptTokensMap() {
    long n = 0;
    for (long c : promptTokens.values()) {
      n += c;
    }
    long rank = (99 * n + 99) / 100; // ceil(0.99 n), in integers
    int p99 = 0;
    long seen = 0;
    for (Map.Entry<Integer, Long> e : promptTokens.entrySet()) {
      seen += e.getValue();
      if (seen >= rank) {
        p99 = e.getKey();
        break;
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("max", promptTokens.isEmpty() ? 0 : promptTokens.lastKey());
    m.put("p99", p99);
    return m;
  }

  Map<String, Object> totalsMap() {
    Map<String, Object> m = splitMap(train(), val());
    m.put("rejected", rejected);
    return m;
  }

  private Map<String, Object> splitMap(long train, long val) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(DatasetFormat.TRAIN, train);
    if (hasVal) {
      m.put(DatasetFormat.VAL, val);
    }
    return m;
  }
}
