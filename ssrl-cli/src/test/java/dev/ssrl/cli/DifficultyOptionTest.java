package dev.ssrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.cli.common.Json;
import dev.ssrl.cli.generate.Generator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ssrl generate --difficulty}: the kept samples are exactly the unfiltered run's samples
 * whose difficulty lies in their task's range, every other one is a rejection line naming the side
 * and the range (counted in the manifest), the ranges are config parameters, and the filtered
 * dataset has the same bytes at any thread count.
 */
class DifficultyOptionTest {
  @TempDir Path tmp;

  private static final String TASKS = "flip,crop,depth,position";

  private Path generate(String name, String threads, String... extra) {
    Path out = tmp.resolve(name);
    List<String> args =
        new ArrayList<>(
            List.of(
                "generate",
                "--out",
                out.toString(),
                "--tasks",
                TASKS,
                "--builtin-scenes",
                "8",
                "--per-scene",
                "2",
                "--threads",
                threads));
    args.addAll(List.of(extra));
    Cli r = Cli.run(args.toArray(String[]::new));
    assertEquals(0, r.status, r::toString);
    return out;
  }

  @Test
  void keepsExactlyTheSamplesInRangeAndRejectsTheOthersByName() throws IOException {
    Path all = generate("all", "2");
    Path some = generate("some", "1", "--difficulty", "0.2:0.7", "--difficulty", "depth=0:0.5");
    List<String> kept = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    Map<String, Integer> reasons = new TreeMap<>();
    for (String line : Files.readAllLines(all.resolve(Generator.TRAIN))) {
      JsonNode s = Json.MAPPER.readTree(line);
      String task = s.path("task").asText();
      double d = s.path("metadata").path("difficulty").asDouble(Double.NaN);
      assertTrue(d >= 0 && d <= 1, "every sample has a difficulty: " + line);
      double min = task.equals("depth") ? 0 : 0.2;
      double max = task.equals("depth") ? 0.5 : 0.7;
      if (d >= min && d <= max) {
        kept.add(line);
      } else {
        dropped.add(s.path("id").asText());
        String range = task.equals("depth") ? "0:0.5" : "0.2:0.7";
        reasons.merge(
            task + ": difficulty " + (d < min ? "below " : "above ") + range, 1, Integer::sum);
      }
    }
    assertTrue(!kept.isEmpty() && !dropped.isEmpty(), "the test would prove nothing: " + reasons);
    assertEquals(kept, Files.readAllLines(some.resolve(Generator.TRAIN)));

    Map<String, Integer> rejected = new TreeMap<>();
    for (String line : Files.readAllLines(some.resolve(Generator.REJECTS))) {
      String reason = Json.MAPPER.readTree(line).path("reason").asText();
      if (reason.contains(": difficulty ")) {
        rejected.merge(reason, 1, Integer::sum);
      }
    }
    assertEquals(reasons, rejected);
    JsonNode manifest = Json.MAPPER.readTree(some.resolve(Generator.MANIFEST).toFile());
    for (Map.Entry<String, Integer> e : reasons.entrySet()) {
      String task = e.getKey().substring(0, e.getKey().indexOf(':'));
      assertEquals(
          e.getValue().intValue(),
          manifest.path("rejects").path(task).path(e.getKey()).asInt(),
          e.getKey());
    }
    JsonNode params = manifest.path("config").path("parameters");
    assertEquals("0.2:0.7", params.path("ssrl.difficulty").asText());
    assertEquals("0:0.5", params.path("ssrl.difficulty.depth").asText());

    Path twice = generate("twice", "2", "--difficulty", "0.2:0.7", "--difficulty", "depth=0:0.5");
    assertEquals(Cli.tree(some), Cli.tree(twice), "same bytes at 1 and 2 threads");
  }

  @Test
  void badRangesAreUsageErrorsNamingTheOption() {
    for (List<String> bad :
        List.of(
            List.of("--difficulty", "0.8:0.2"),
            List.of("--difficulty", "half"),
            List.of("--difficulty", "shuffle=0:1"),
            List.of("--difficulty", "0:1", "--difficulty", "0:0.5"),
            List.of("--difficulty", "0:0.5", "--param", "ssrl.difficulty=0.1:0.5"))) {
      List<String> args =
          new ArrayList<>(
              List.of("generate", "--out", tmp.resolve("x").toString(), "--tasks", TASKS));
      args.addAll(bad);
      Cli r = Cli.run(args.toArray(String[]::new));
      assertEquals(2, r.status, bad + ": " + r);
      assertTrue(r.err.contains("--difficulty"), bad + ": " + r.err);
    }
  }
}
