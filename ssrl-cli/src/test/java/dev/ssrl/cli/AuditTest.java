package dev.ssrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.cli.common.Json;
import dev.ssrl.cli.preview.PreviewCommandTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The blind-baseline audit in the manifest, the warning line and the preview chart. */
class AuditTest {
  @TempDir Path tmp;

  @Test
  void manifestAuditsEveryTaskWithTheSamplesItCounts() throws IOException {
    Path out = tmp.resolve("ds");
    Cli r =
        Cli.run(
            "generate",
            "--out",
            out.toString(),
            "--builtin-scenes",
            "6",
            "--val-fraction",
            "0.3",
            "--threads",
            "1");
    assertEquals(0, r.status, r::toString);
    JsonNode manifest = Json.MAPPER.readTree(out.resolve("manifest.json").toFile());
    JsonNode tasks = manifest.path("audit").path("tasks");
    for (Iterator<String> it = manifest.get("counts").fieldNames(); it.hasNext(); ) {
      String t = it.next();
      long n =
          manifest.get("counts").get(t).path("train").asLong()
              + manifest.get("counts").get(t).path("val").asLong();
      assertEquals(n, tasks.path(t).path("samples").asLong(), t + ": train + val are audited");
      for (JsonNode b : tasks.path(t).path("baselines")) {
        double acc = b.get("accuracy").asDouble();
        assertTrue(acc >= 0 && acc <= 1 && b.get("chance").asDouble() > 0, t + " " + b);
      }
    }
    assertTrue(tasks.path("depth").path("baselines").has("heightOrder"), tasks.toString());
    assertTrue(tasks.path("position").path("baselines").has("dxOnly"), tasks.toString());
  }

  @Test
  void aShortcutFarAboveChanceIsAWarningLine() throws IOException {
    // Crop candidates give the true crop away by their kinds (candidateConsistency is 1.0 by the
    // task's design), so any 30+ crop samples warn.
    Path out = tmp.resolve("crop");
    Cli r =
        Cli.run(
            "generate",
            "--out",
            out.toString(),
            "--tasks",
            "crop",
            "--builtin-scenes",
            "8",
            "--per-scene",
            "4",
            "--threads",
            "1");
    assertEquals(0, r.status, r::toString);
    assertTrue(
        r.err.contains("ssrl: warning: blind baseline crop: candidateConsistency 100.0%"), r.err);
    JsonNode warnings =
        Json.MAPPER.readTree(out.resolve("manifest.json").toFile()).path("audit").path("warnings");
    assertTrue(warnings.toString().contains("candidateConsistency"), warnings.toString());
  }

  @Test
  void previewChartsEveryBaselineInline() throws IOException {
    Path out = tmp.resolve("p");
    assertEquals(
        0,
        Cli.run("generate", "--out", out.toString(), "--builtin-scenes", "4", "--threads", "1")
            .status);
    Path html = tmp.resolve("p.html");
    Cli r = Cli.run("preview", "--dataset", out.toString(), "--out", html.toString());
    assertEquals(0, r.status, r::toString);
    String page = Files.readString(html);
    JsonNode tasks =
        Json.MAPPER.readTree(out.resolve("manifest.json").toFile()).path("audit").path("tasks");
    int baselines = 0;
    for (JsonNode t : tasks) {
      baselines += t.path("baselines").size();
    }
    assertTrue(page.contains("<section class=\"audit\""), "audit section");
    assertEquals(tasks.size(), PreviewCommandTest.count(page, "<svg "));
    // Per baseline: a background bar, the accuracy bar, the chance tick.
    assertEquals(2 * baselines, PreviewCommandTest.count(page, "<rect "));
    assertEquals(baselines, PreviewCommandTest.count(page, "<line "));
    assertTrue(!page.contains("<script") && !page.contains("href=\"http"), "no external assets");
  }
}
