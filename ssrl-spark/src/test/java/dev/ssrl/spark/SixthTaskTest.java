package dev.ssrl.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job handles a sixth task defined in one test source file ({@code MirrorTask} in
 * ssrl-tasks' tests, with its services entry in ssrl-tasks' test jar) with no switch edited: it
 * lists the task after the five by the task's own rank, generates its samples on the executors, and
 * audits them there with the task's own heuristics. Tagged {@code sixth-task}, it runs in a
 * surefire execution of its own (ssrl-spark/pom.xml), the only one that sees the test jar.
 */
@Tag("sixth-task")
class SixthTaskTest {
  @TempDir Path dir;

  @Test
  void theJobListsGeneratesAndAuditsTheSixthTask() throws IOException {
    List<String> defaults = SparkGenerator.builder().build().config().dataset().tasks();
    assertEquals(List.of("shuffle", "flip", "crop", "depth", "position"), defaults.subList(0, 5));
    assertTrue(defaults.contains("mirror"), "" + defaults);

    Path out = dir.resolve("mirror");
    GenerationSummary summary =
        SparkGenerator.builder()
            .tasks(List.of("mirror"))
            .seed(3)
            .partitions(2)
            .build()
            .write(LocalSpark.session(), SceneListing.synthetic(6), out.toString());
    assertTrue(summary.train() > 0, "mirror samples were written");
    List<JsonNode> lines = Datasets.lines(out, "train.jsonl");
    assertEquals(summary.train(), lines.size());
    for (JsonNode n : lines) {
      assertEquals("mirror", n.get("task").asText());
      assertEquals(2, n.get("images").size());
    }
    JsonNode audit = Datasets.manifest(out).get("audit").get("tasks").get("mirror");
    assertEquals(summary.train(), audit.get("samples").asLong());
    // MirrorTask's own baselines, counted on the executors and merged on the driver; a task the
    // audit did not ask would get the answer-only "mostFrequentAnswer" alone.
    JsonNode baselines = audit.get("baselines");
    List<String> names = new ArrayList<>();
    baselines.fieldNames().forEachRemaining(names::add);
    assertEquals(List.of("optionLetter", "mostFrequentTransform"), names);
    assertEquals(0.5, baselines.get("optionLetter").get("chance").asDouble());
    assertEquals(summary.train(), baselines.get("mostFrequentTransform").get("evaluated").asLong());
  }
}
