package dev.ssrl.cli;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything that decides the bytes of a generated dataset. The thread count and the output folder
 * are deliberately absent: they change neither the samples nor their order, so a run may be resumed
 * with another thread count, and two folders generated alike compare equal.
 *
 * @param tasks task ids in work-item order
 * @param weights variants per scene for each task, as a multiple of {@code perScene} (1 unless
 *     {@code --mix} says otherwise), same order as {@code tasks}
 * @param sources absolute source folders; empty for the built-in scenes
 */
record GenerateConfig(
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
    boolean verl,
    int limitScenes,
    int builtInScenes,
    List<String> sources) {

  GenerateConfig {
    tasks = List.copyOf(tasks);
    weights = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    parameters = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(parameters));
    sources = List.copyOf(sources);
  }

  /** The config as an ordered JSON-ready map (written to the manifest and the journal). */
  Map<String, Object> toMap() {
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
    m.put("verl", verl);
    m.put("limitScenes", limitScenes);
    m.put("builtInScenes", sources.isEmpty() ? builtInScenes : 0);
    m.put("sources", sources);
    return m;
  }

  /** SHA-256 of the canonical JSON form; a resumed run must present the same hash. */
  String hash() {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(Json.write(toMap()).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
