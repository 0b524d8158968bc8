package dev.ssrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.cli.common.Json;
import dev.ssrl.cli.generate.Generator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --preset spatial-ssrl-81k}: over 2,000+ samples from built-in scenes the task shares are
 * within 2 percentage points of the 81k data's (paper table 5, written out here), only 2×2 shuffles
 * are masked, and position follows the original rules.
 */
class PresetTest {
  @TempDir Path tmp;

  /** Paper table 5: 81,053 samples. */
  private static final Map<String, Integer> TABLE_5 =
      Map.of("shuffle", 16_028, "flip", 4_005, "crop", 20_200, "depth", 20_620, "position", 20_200);

  @Test
  void taskSharesFollowTable5AndOnlyTwoByTwoIsMasked() throws IOException {
    Path out = tmp.resolve("p");
    Cli r =
        Cli.run(
            "generate",
            "--out",
            out.toString(),
            "--preset",
            "spatial-ssrl-81k",
            "--per-scene",
            "6",
            "--builtin-scenes",
            "96",
            "--suffix",
            "none");
    assertEquals(0, r.status, r::toString);
    Map<String, Integer> counts = new LinkedHashMap<>();
    int total = 0;
    for (JsonNode line : GenerateTest.lines(out.resolve(Generator.TRAIN))) {
      String task = line.path("task").asText();
      counts.merge(task, 1, Integer::sum);
      total++;
      JsonNode meta = line.path("metadata");
      if (task.equals("shuffle") && meta.path("masked").asBoolean()) {
        assertEquals("2x2", meta.path("grid").asText(), line.path("id").asText());
      }
      if (task.equals("position")) {
        assertEquals("original", meta.path("rules").asText());
      }
      assertTrue(!line.path("problem").asText().contains("MUST BE enclosed"), "--suffix none");
    }
    assertTrue(total >= 2_000, "only " + total + " samples");
    double all = TABLE_5.values().stream().mapToInt(Integer::intValue).sum();
    for (Map.Entry<String, Integer> e : TABLE_5.entrySet()) {
      double want = 100.0 * e.getValue() / all;
      double got = 100.0 * counts.getOrDefault(e.getKey(), 0) / total;
      assertTrue(
          Math.abs(got - want) <= 2.0,
          e.getKey() + ": " + String.format("%.2f %% vs %.2f %% in the 81k data", got, want));
    }
    JsonNode manifest = Json.MAPPER.readTree(out.resolve("manifest.json").toFile());
    assertEquals(
        "original", manifest.path("config").path("parameters").path("position.rules").asText());
    assertEquals(
        "spatial-ssrl-81k",
        manifest.path("config").path("parameters").path("ssrl.preset").asText());
    assertEquals("", manifest.path("config").path("suffix").asText(), "no suffix, and it says so");
  }

  @Test
  void anUnknownPresetIsAUsageErrorNamingTheKnownOnes() {
    Cli r = Cli.run("generate", "--out", tmp.resolve("x").toString(), "--preset", "81k");
    assertEquals(2, r.status, r::toString);
    assertTrue(r.err.contains("spatial-ssrl-81k"), r.err);
  }
}
