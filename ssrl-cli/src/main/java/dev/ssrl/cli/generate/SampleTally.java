package dev.ssrl.cli.generate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.api.Task;
import dev.ssrl.cli.common.Json;
import dev.ssrl.dataset.Counts;
import dev.ssrl.depth.DepthModel;
import dev.ssrl.tasks.Sizing;
import dev.ssrl.tasks.audit.BlindAudit;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a finished run reads back from its committed JSONL files for the manifest: sample counts per
 * task and split, prompt-token estimates, the blind audit, and scenes by depth source.
 */
final class SampleTally {
  private SampleTally() {}

  /**
   * Counts scenes with samples of a depth task by depth source. A scene's lines are contiguous in a
   * split's file (items run in scene order, a scene in one split), so the previous scene id is all
   * the state needed.
   */
  static final class DepthScenes {
    private final Map<String, Task> tasks;
    private String last;
    long sensor;
    long estimated;

    DepthScenes(Map<String, Task> tasks) {
      this.tasks = tasks;
    }

    void add(JsonNode line) {
      String task = line.path("task").asText();
      Task t = tasks.get(task);
      if (t == null || !t.needsDepth()) {
        return;
      }
      // Sample ids are <scene>-<task>-<variant> (Samples.id).
      String id = line.path("id").asText();
      String scene = id.substring(0, Math.max(0, id.lastIndexOf('-') - task.length() - 1));
      if (scene.equals(last)) {
        return;
      }
      last = scene;
      if (DepthModel.ESTIMATED.equals(line.path("metadata").path(DepthModel.SOURCE_KEY).asText())) {
        estimated++;
      } else {
        sensor++;
      }
    }
  }

  /**
   * Adds the lines of one split's JSONL file to the manifest's counts, the blind audit and, with a
   * depth model, the scenes by depth source.
   */
  static void count(Path jsonl, String split, Counts counts, BlindAudit audit, DepthScenes depth)
      throws IOException {
    try (BufferedReader r = Files.newBufferedReader(jsonl)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        JsonNode n = Json.MAPPER.readTree(line);
        if (depth != null) {
          depth.add(n);
        }
        counts.samples(n.get("task").asText(), split, 1);
        JsonNode tokens = n.path("metadata").get(Sizing.TOKENS_KEY);
        if (tokens != null && tokens.canConvertToInt()) {
          counts.promptTokens(tokens.intValue(), 1);
        }
        AuditWarnings.add(audit, n);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
