package dev.ssrl.spark;

import dev.ssrl.api.GenerationOptions;
import dev.ssrl.api.Samples;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything that decides the samples, shipped to the executors. Partition counts are deliberately
 * absent from {@link #toMap}: they never change the samples.
 *
 * <p>Work items, the mix of fractional weights and the validation split follow the single-machine
 * CLI's rules exactly, so the same scenes and seed give the same sample ids in both.
 */
record JobConfig(
    List<String> tasks,
    Map<String, Double> weights,
    int perScene,
    long seed,
    String profile,
    String suffix,
    Map<String, String> parameters,
    int jpegQuality,
    double valFraction,
    boolean parquet,
    int partitions,
    int failFirstAttemptAfter)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  JobConfig {
    tasks = List.copyOf(tasks);
    weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    parameters = Collections.unmodifiableMap(new TreeMap<>(parameters));
  }

  /** One unit of work of a scene: a task and a variant index. */
  record Item(String task, int variant) {}

  /**
   * The work items of one scene, in task order then variant order ({@link Samples#variantCount}).
   */
  List<Item> itemsOf(String sceneId) {
    List<Item> items = new ArrayList<>();
    for (String t : tasks) {
      int count = Samples.variantCount(seed, sceneId, t, perScene, weights.getOrDefault(t, 1.0));
      for (int v = 0; v < count; v++) {
        items.add(new Item(t, v));
      }
    }
    return items;
  }

  /** Whether a scene's samples go to the validation split: a pure function of (seed, scene). */
  boolean isValidation(String sceneId) {
    return Samples.inValidation(seed, sceneId, valFraction);
  }

  GenerationOptions baseOptions() {
    return new GenerationOptions(0, profile, suffix, parameters);
  }

  JobConfig withFailFirstAttemptAfter(int n) {
    return new JobConfig(
        tasks,
        weights,
        perScene,
        seed,
        profile,
        suffix,
        parameters,
        jpegQuality,
        valFraction,
        parquet,
        partitions,
        n);
  }

  /** The settings that decide the samples, for the manifest (same keys as the CLI's). */
  Map<String, Object> toMap(List<String> sources) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tasks", tasks);
    m.put("mix", weights);
    m.put("perScene", perScene);
    m.put("seed", seed);
    m.put("profile", profile);
    m.put("suffix", suffix);
    m.put("parameters", parameters);
    m.put("jpegQuality", jpegQuality);
    m.put("valFraction", valFraction);
    m.put("parquet", parquet);
    m.put("sources", sources);
    return m;
  }
}
