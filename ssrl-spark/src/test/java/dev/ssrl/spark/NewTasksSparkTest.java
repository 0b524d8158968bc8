package dev.ssrl.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.dataset.DatasetFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The opt-in tasks of issue 30 ({@code depth-points}, {@code rotation}) through the Spark job:
 * found through the same SPI, left out of its default task list, and, when named, written byte for
 * byte as {@code ssrl generate} writes them (JSONL lines, images, manifest with the audit).
 */
class NewTasksSparkTest {
  @Test
  void theJobWritesTheNewTasksAsTheCliDoes(@TempDir Path dir) throws Exception {
    List<String> defaults = SparkGenerator.builder().build().config().dataset().tasks();
    assertFalse(defaults.contains("depth-points") || defaults.contains("rotation"), "" + defaults);

    Path jar = SameAsCliTest.cliJar();
    Path cli = dir.resolve("cli");
    SameAsCliTest.runCli(
        jar,
        "--out",
        cli.toString(),
        "--builtin-scenes",
        "4",
        "--seed",
        "7",
        "--tasks",
        "depth-points,rotation,shuffle",
        "--param",
        "depth-points.k=5",
        "--threads",
        "1");
    Path sp = dir.resolve("spark");
    SparkGenerator.builder()
        .tasks(List.of("depth-points", "rotation", "shuffle"))
        .seed(7)
        .parameter("depth-points.k", "5")
        .parquet(false)
        .partitions(2)
        .build()
        .write(LocalSpark.session(), SceneListing.synthetic(4), sp.toString());

    String train = DatasetFormat.jsonl(DatasetFormat.TRAIN);
    List<String> cliLines = Files.readAllLines(cli.resolve(train));
    assertTrue(cliLines.stream().anyMatch(l -> l.contains("\"task\":\"depth-points\"")), train);
    assertTrue(cliLines.stream().anyMatch(l -> l.contains("\"task\":\"rotation\"")), train);
    assertEquals(new TreeSet<>(cliLines), new TreeSet<>(Datasets.rawLines(sp, train)), train);
    assertEquals(
        SameAsCliTest.imageHashes(cli),
        SameAsCliTest.imageHashes(sp),
        "image files and their bytes");
    JsonNode m = SameAsCliTest.sameManifests(cli, sp);
    assertTrue(m.get("audit").get("tasks").has("depth-points"), "audited on the executors");
    assertTrue(m.get("audit").get("tasks").has("rotation"), "audited on the executors");
  }
}
