package dev.ssrl.tasks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A named generation setting: task weights (as multiples of the variants per scene, the front ends'
 * {@code --mix}), task parameters and a prompt profile. A front end applies a preset first and lets
 * an explicit {@code --mix}, {@code --param} or {@code --profile} override its parts.
 *
 * <p>{@value #SPATIAL_SSRL_81K} reproduces the make-up of the Spatial-SSRL-81k data
 * (reference/spatial-ssrl-81k.md, paper tables 5–8): task shares 16,028 shuffle / 4,005 flip /
 * 20,200 crop / 20,620 depth / 20,200 position; shuffle grids 2×2 8,028 (4,028 of them masked), one
 * row of 3 or 4 pieces 4,991, one column of 3 or 4 pieces 3,009, with only 2×2 masked (the paper
 * does not split rows and columns between 3 and 4 pieces: we split them evenly); crop distractor
 * kinds uniform and distinct (the crop task's own rule); position by the original rules ({@code
 * position.rules=original}) with facings 30/30/30/10; the {@code spatial-ssrl} profile (the 81k
 * wording).
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

  /** Task shares of the 81k data (paper table 5). */
  static final Map<String, Integer> SHARES_81K =
      orderedInts(
          "shuffle", 16_028, "flip", 4_005, "crop", 20_200, "depth", 20_620, "position", 20_200);

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
   * The built-in preset with this name.
   *
   * @throws IllegalArgumentException naming the known presets for any other name
   */
  public static Preset named(String name) {
    if (SPATIAL_SSRL_81K.equals(name)) {
      int max = SHARES_81K.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
      Map<String, Double> mix = new LinkedHashMap<>();
      // Rounded to 4 places so that the manifest's mix is readable; shares move by < 0.01 points.
      SHARES_81K.forEach((k, v) -> mix.put(k, Math.round(10_000.0 * v / max) / 10_000.0));
      Map<String, String> p = new LinkedHashMap<>();
      p.put("shuffle.grids", "2x2:8028,3x1:2496,4x1:2495,1x3:1505,1x4:1504");
      p.put("shuffle.maskedGrids", "2x2");
      p.put("shuffle.masked", "0.50174");
      p.put("position.rules", "original");
      return new Preset(SPATIAL_SSRL_81K, mix, p, "spatial-ssrl");
    }
    throw new IllegalArgumentException("unknown preset '" + name + "'; known presets: " + names());
  }

  private static Map<String, Integer> orderedInts(Object... kv) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (Integer) kv[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(m);
  }
}
