package dev.ssrl.dataset;

import dev.ssrl.api.GenerationOptions;
import dev.ssrl.api.Samples;
import dev.ssrl.tasks.Sizing;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything that decides the samples of a dataset, and the manifest's {@code config} object.
 * Thread counts, partitions and the output folder are deliberately absent: they change neither the
 * samples nor their order.
 *
 * <p>Front ends build it through {@link GenerateOptions#toConfig}, the one place that validates the
 * options. A front end that lacks an option writes its neutral value (docs/dataset-format.md): the
 * Spark job has no scene limit ({@code limitScenes: 0}) and names synthetic scenes in {@code
 * sources} ({@code builtInScenes: 0}).
 *
 * @param tasks task ids in work-item order
 * @param weights variants per scene for each task, as a multiple of {@code perScene} (1 unless
 *     {@code --mix} says otherwise)
 * @param perScene variants per scene and task before weighting
 * @param seed the run seed
 * @param profile the prompt profile
 * @param suffix the prompt suffix
 * @param parameters task parameters (sorted by key)
 * @param jpegQuality JPEG quality of the images
 * @param valFraction share of scenes whose samples go to the validation split
 * @param layouts the trainer layouts and the image path mode ({@link Layouts#NONE}: none, relative
 *     paths)
 * @param limitScenes the first N scenes only; 0 for all
 * @param builtInScenes how many built-in scenes were used when {@code sources} is empty
 * @param sources the scene sources (absolute folders, listings, {@code synthetic:N}); empty for the
 *     CLI's built-in scenes
 * @param sizing the trainer's pixel range and prompt budget ({@code --min-pixels}, {@code
 *     --max-pixels}, {@code --max-prompt-tokens}; {@link Sizing}), applied by both front ends
 */
public record DatasetConfig(
    List<String> tasks,
    Map<String, Double> weights,
    int perScene,
    long seed,
    String profile,
    String suffix,
    Map<String, String> parameters,
    int jpegQuality,
    double valFraction,
    Layouts layouts,
    int limitScenes,
    int builtInScenes,
    List<String> sources,
    Sizing sizing)
    implements Serializable {

  private static final long serialVersionUID = 2L;

  /**
   * The layouts the manifest's {@code config} names by a boolean key of their own, in key order.
   */
  private static final List<String> LEGACY_LAYOUT_KEYS =
      List.of(GenericParquetLayout.NAME, VerlLayout.NAME, TrlLayout.NAME, EasyR1Layout.NAME);

  /**
   * @throws IllegalArgumentException naming the setting (and its command-line flag) if a count or
   *     fraction is out of range
   */
  public DatasetConfig {
    check(perScene >= 1, "perScene (--per-scene) must be >= 1, got " + perScene);
    check(
        jpegQuality >= 1 && jpegQuality <= 100,
        "jpegQuality (--jpeg-quality) must be in 1..100, got " + jpegQuality);
    check(
        valFraction >= 0 && valFraction < 1,
        "valFraction (--val-fraction) must be in [0, 1), got " + valFraction);
    check(
        limitScenes >= 0 && builtInScenes >= 0,
        "limitScenes and builtInScenes (--limit-scenes, --builtin-scenes) must be >= 0");
    Objects.requireNonNull(layouts, "layouts");
    tasks = List.copyOf(tasks);
    weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    parameters = Collections.unmodifiableMap(new TreeMap<>(parameters));
    sources = List.copyOf(sources);
    Objects.requireNonNull(sizing, "sizing");
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** The same settings over other sources (a job knows its listing only when it runs). */
  public DatasetConfig withSources(List<String> newSources) {
    return new DatasetConfig(
        tasks,
        weights,
        perScene,
        seed,
        profile,
        suffix,
        parameters,
        jpegQuality,
        valFraction,
        layouts,
        limitScenes,
        builtInScenes,
        newSources,
        sizing);
  }

  /**
   * The work items of one scene, in task order then variant order; how many variants a task gets is
   * {@link Samples#variantCount}.
   */
  public List<WorkItem> itemsOf(String sceneId) {
    List<WorkItem> items = new ArrayList<>();
    for (String t : tasks) {
      int count = Samples.variantCount(seed, sceneId, t, perScene, weights.getOrDefault(t, 1.0));
      for (int v = 0; v < count; v++) {
        items.add(new WorkItem(t, v));
      }
    }
    return items;
  }

  /**
   * The split of a scene's samples: {@value DatasetFormat#VAL} or {@value DatasetFormat#TRAIN}, a
   * pure function of (seed, scene id), so no source image appears in both splits.
   */
  public String splitOf(String sceneId) {
    return Samples.inValidation(seed, sceneId, valFraction)
        ? DatasetFormat.VAL
        : DatasetFormat.TRAIN;
  }

  /** The generation options every item starts from (variant 0). */
  public GenerationOptions baseOptions() {
    return new GenerationOptions(0, profile, suffix, parameters);
  }

  /** The manifest's {@code config} object; key order is part of the format. */
  public Map<String, Object> toMap() {
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
    // The four layouts of ssrl-dataset/1 keep their boolean keys (a resumed older dataset keeps its
    // hash); any other layout is named in "layouts", present only when there is one.
    for (String name : LEGACY_LAYOUT_KEYS) {
      m.put(name, layouts.has(name));
    }
    m.put("imagePaths", layouts.imagePaths().flagValue());
    List<String> others =
        layouts.names().stream().filter(n -> !LEGACY_LAYOUT_KEYS.contains(n)).sorted().toList();
    if (!others.isEmpty()) {
      m.put("layouts", others);
    }
    m.put("limitScenes", limitScenes);
    m.put("builtInScenes", sources.isEmpty() ? builtInScenes : 0);
    m.put("sources", sources);
    m.put("minPixels", sizing.minPixels());
    m.put("maxPixels", sizing.maxPixels());
    m.put("maxPromptTokens", sizing.maxPromptTokens());
    return m;
  }

  /** SHA-256 of the compact JSON of {@link #toMap}: a resumed run must present the same hash. */
  public String hash() {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(DatasetJson.write(toMap()).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
