package dev.ssrl.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.testsupport.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real RGB-D scenes of {@code ../shared/data}, read through Hadoop's file system. */
class SharedDataSparkTest {
  // The RGB tasks run on every synthetic test already; flip stands for them here, and the two
  // depth tasks prove that .npy (with mask) and .h5 depth maps are read on the executors.
  private static final List<String> TASKS = List.of("flip", "depth", "position");

  @Test
  void realScenesFromAFolderAndAListingGiveTheSameSamplesWithTwoOrFivePartitions(@TempDir Path dir)
      throws IOException {
    Path rgbd = SharedData.require("data/rgbd");
    Path rgb = SharedData.require("data/rgb");
    // A listing with absolute paths next to a folder source: both ways of naming scenes at once.
    Path listing = dir.resolve("photos.tsv");
    Files.writeString(
        listing,
        rgb.resolve("eg1.jpg").toAbsolutePath()
            + "\n"
            + rgb.resolve("scene-1.png").toAbsolutePath()
            + "\t\t\tphoto-scene-1\n");
    SceneListing scenes = SceneListing.of(rgbd.toString(), listing.toString());
    SparkSession spark = LocalSpark.session();

    Path two = dir.resolve("two");
    GenerationSummary s2 =
        SparkGenerator.builder()
            .tasks(TASKS)
            .seed(3)
            .partitions(2)
            .build()
            .write(spark, scenes, two.toString());
    Path five = dir.resolve("five");
    GenerationSummary s5 =
        SparkGenerator.builder()
            .tasks(TASKS)
            .seed(3)
            .partitions(5)
            .build()
            .write(spark, scenes, five.toString());

    // diode-1, megadepth-1, megadepth-2, eg1, photo-scene-1; three tasks each.
    assertEquals(15, s2.samples() + s2.rejected(), s2.toString());
    assertEquals(s2.perTask(), s5.perTask());
    assertEquals(s2.rejects(), s5.rejects());
    Map<String, String> f2 = Datasets.fingerprint(two);
    assertEquals(f2, Datasets.fingerprint(five));

    Set<String> scenesWithSamples = new TreeSet<>();
    for (String id : f2.keySet()) {
      scenesWithSamples.add(id.substring(0, id.lastIndexOf('-', id.lastIndexOf('-') - 1)));
    }
    assertTrue(
        scenesWithSamples.containsAll(Set.of("diode-1", "megadepth-1", "eg1", "photo-scene-1")),
        scenesWithSamples.toString());
    assertTrue(
        f2.keySet().stream().anyMatch(id -> id.matches("(diode|megadepth)-\\d-depth-0")),
        "a depth-ordering sample from a real depth map (.npy or .h5): " + f2.keySet());
    for (JsonNode n : Datasets.lines(two, "rejects.jsonl")) {
      String scene = n.get("scene").asText();
      if (scene.equals("eg1") || scene.equals("photo-scene-1")) {
        assertTrue(
            Set.of("depth", "position").contains(n.get("task").asText()),
            "RGB-only scenes are rejected only by the depth tasks: " + n);
      }
    }
  }
}
