package dev.ssrl.api;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Options shared by all tasks for one call of {@link Task#generate}.
 *
 * @param variant the variant index of the sample for its scene and task (part of the id)
 * @param profile the prompt profile name, e.g. {@code spatial-ssrl}
 * @param suffix the reasoning-format suffix appended after one space; empty for none
 * @param parameters task-specific settings as {@code task.key=value} strings (e.g. {@code
 *     shuffle.grids=2x2,1x3}); unknown keys are ignored, bad values are rejected by the task with
 *     an {@link IllegalArgumentException} naming the key
 */
public record GenerationOptions(
    int variant, String profile, String suffix, Map<String, String> parameters) {

  /** The profile the released Spatial-SSRL data uses. */
  public static final String DEFAULT_PROFILE = "spatial-ssrl";

  /** The reasoning-format suffix Spatial-SSRL trained with (SPEC §2). */
  public static final String DEFAULT_SUFFIX =
      "You FIRST think about the reasoning process as an internal monologue and then provide the"
          + " final answer. The reasoning process MUST BE enclosed within <think> </think> tags."
          + " The final answer MUST BE put in \\boxed{}.";

  /**
   * The suffix a command-line value stands for: null (not given) is {@link #DEFAULT_SUFFIX}; {@code
   * none} (any case) or the empty text is no suffix, for trainers that append their own format
   * prompt (EasyR1's {@code format_prompt} does; docs/integrations.md); anything else is used as
   * given.
   */
  public static String suffixFromFlag(String value) {
    if (value == null) {
      return DEFAULT_SUFFIX;
    }
    return value.isEmpty() || value.equalsIgnoreCase("none") ? "" : value;
  }

  public GenerationOptions {
    if (variant < 0) {
      throw new IllegalArgumentException("variant must be >= 0, got " + variant);
    }
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(suffix, "suffix");
    parameters = Collections.unmodifiableMap(new TreeMap<>(parameters));
  }

  /** Variant 0, the default profile and suffix, no parameters. */
  public static GenerationOptions defaults() {
    return new GenerationOptions(0, DEFAULT_PROFILE, DEFAULT_SUFFIX, Map.of());
  }

  public GenerationOptions withVariant(int v) {
    return new GenerationOptions(v, profile, suffix, parameters);
  }

  public GenerationOptions withProfile(String p) {
    return new GenerationOptions(variant, p, suffix, parameters);
  }

  public GenerationOptions withSuffix(String s) {
    return new GenerationOptions(variant, profile, s, parameters);
  }

  public GenerationOptions withParameters(Map<String, String> p) {
    return new GenerationOptions(variant, profile, suffix, p);
  }

  /** A parameter value, or {@code fallback} when absent. */
  public String parameter(String key, String fallback) {
    return parameters.getOrDefault(key, fallback);
  }
}
