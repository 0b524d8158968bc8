package dev.ssrl.tasks;

import dev.ssrl.api.Task;
import dev.ssrl.api.Tasks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A named generation setting: task weights (as multiples of the variants per scene, the front ends'
 * {@code --mix}), task parameters and a prompt profile. A front end applies a preset first and lets
 * an explicit {@code --mix}, {@code --param} or {@code --profile} override its parts.
 *
 * <p>A preset's mix and parameters are asked of the tasks ({@link Task#presetShare} and {@link
 * Task#presetParameters}): each task says its part, so a task added on the class path can take one.
 * {@value #SPATIAL_SSRL_81K} reproduces the make-up of the Spatial-SSRL-81k data
 * (reference/spatial-ssrl-81k.md, paper tables 5–8) with the built-in tasks' parts: task shares
 * 16,028 shuffle / 4,005 flip / 20,200 crop / 20,620 depth / 20,200 position, the shuffle grids of
 * the paper ({@code ShuffleTask}), crop distractor kinds uniform and distinct (the crop task's own
 * rule), position by the original rules with facings 30/30/30/10; and the {@code spatial-ssrl}
 * profile (the 81k wording).
 *
 * @param name the preset's name, recorded in the manifest
 * @param mix task id to weight, in task order
 * @param parameters task parameters
 * @param profile the prompt profile
 */
public record Preset(
    String name, Map<String, Double> mix, Map<String, String> parameters, String profile) {

  /** The generation parameter under which front ends record the preset's name in the manifest. */
  public static final String PARAMETER = "ssrl.preset";

  /** The name of the Spatial-SSRL-81k preset. */
  public static final String SPATIAL_SSRL_81K = "spatial-ssrl-81k";

  public Preset {
    Objects.requireNonNull(name, "name");
    mix = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(mix));
    parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    Objects.requireNonNull(profile, "profile");
  }

  /** The names of the built-in presets. */
  public static List<String> names() {
    return List.of(SPATIAL_SSRL_81K);
  }

  /**
   * The built-in preset with this name, made of the parts the tasks on the class path take in it
   * ({@link Tasks#all()}).
   *
   * @throws IllegalArgumentException naming the known presets for any other name
   */
  public static Preset named(String name) {
    return named(name, Tasks.all());
  }

  /**
   * The built-in preset with this name, made of the parts {@code known} tasks take in it: the mix
   * holds each task with a positive {@link Task#presetShare}, in {@link Tasks#defaultOrder}, as its
   * share over the largest share (rounded to 4 places, so that the manifest's mix is readable;
   * shares move by under 0.01 points), and the parameters are those the tasks set.
   *
   * @throws IllegalArgumentException naming the known presets for any other name
   */
  public static Preset named(String name, Map<String, Task> known) {
    if (!SPATIAL_SSRL_81K.equals(name)) {
      throw new IllegalArgumentException(
          "unknown preset '" + name + "'; known presets: " + names());
    }
    Map<String, Double> shares = new LinkedHashMap<>();
    Map<String, String> p = new LinkedHashMap<>();
    double max = 0;
    for (String id : Tasks.defaultOrder(known)) {
      Task t = known.get(id);
      double share = t.presetShare(name);
      if (!(share >= 0) || Double.isInfinite(share)) {
        throw new IllegalStateException(
            "task " + id + " gives preset " + name + " the share " + share + "; need >= 0");
      }
      if (share > 0) {
        shares.put(id, share);
        max = Math.max(max, share);
        p.putAll(t.presetParameters(name));
      }
    }
    Map<String, Double> mix = new LinkedHashMap<>();
    for (Map.Entry<String, Double> e : shares.entrySet()) {
      mix.put(e.getKey(), Math.round(10_000.0 * e.getValue() / max) / 10_000.0);
    }
    return new Preset(SPATIAL_SSRL_81K, mix, p, "spatial-ssrl");
  }
}
