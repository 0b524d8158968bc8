package dev.ssrl.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real RGB-D scenes of {@code ../shared/data}, read through Hadoop's file system. */
class SharedDataSparkTest {

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

    Path one = dir.resolve("two");
    GenerationSummary s1 =
        SparkGenerator.builder().seed(3).partitions(2).build().write(spark, scenes, one.toString());
    Path three = dir.resolve("five");
    GenerationSummary s3 =
        SparkGenerator.builder()
            .seed(3)
            .partitions(5)
            .build()
            .write(spark, scenes, three.toString());

    // diode-1, megadepth-1, megadepth-2, eg1, photo-scene-1; five tasks each.
    assertEquals(25, s1.samples() + s1.rejected(), s1.toString());
    assertEquals(s1.perTask(), s3.perTask());
    assertEquals(s1.rejects(), s3.rejects());
    Map<String, String> f1 = Datasets.fingerprint(one);
    assertEquals(f1, Datasets.fingerprint(three));

    Set<String> scenesWithSamples = new TreeSet<>();
    for (String id : f1.keySet()) {
      scenesWithSamples.add(id.substring(0, id.lastIndexOf('-', id.lastIndexOf('-') - 1)));
    }
    assertTrue(
        scenesWithSamples.containsAll(Set.of("diode-1", "megadepth-1", "eg1", "photo-scene-1")),
        scenesWithSamples.toString());
    assertTrue(
        f1.keySet().stream().anyMatch(id -> id.matches("(diode|megadepth)-\\d-depth-0")),
        "a depth-ordering sample from a real depth map (.npy or .h5): " + f1.keySet());
    for (JsonNode n : Datasets.lines(one, "rejects.jsonl")) {
      String scene = n.get("scene").asText();
      if (scene.equals("eg1") || scene.equals("photo-scene-1")) {
        assertTrue(
            Set.of("depth", "position").contains(n.get("task").asText()),
            "RGB-only scenes are rejected only by the depth tasks: " + n);
      }
    }
  }
}
