package dev.ssrl.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssrl.api.DepthMap;
import dev.ssrl.api.Scene;
import dev.ssrl.tasks.image.ImageCodec;
import dev.ssrl.tasks.synthetic.SyntheticScenes;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scenes and output on a Hadoop file system other than {@code file:}. */
class NonLocalFileSystemTest {

  @Test
  void scenesOnANonLocalFileSystemGiveTheSameSamplesAsLocalFiles(@TempDir Path dir)
      throws IOException {
    SparkSession spark = LocalSpark.session();
    spark
        .sparkContext()
        .hadoopConfiguration()
        .set("fs.ssrltest.impl", TestFileSystem.class.getName());
    Path scenes = Files.createDirectories(dir.resolve("scenes"));
    StringBuilder remote = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      Scene s = SyntheticScenes.scene(5, i, 320, 240);
      Path rgb = scenes.resolve("s" + i + ".png");
      Path depth = scenes.resolve("s" + i + "_depth.png");
      Files.write(rgb, ImageCodec.encodePng(s.rgb()));
      writeDepthPng(s.depth(), depth);
      remote
          .append(TestFileSystem.uri(rgb))
          .append(',')
          .append(TestFileSystem.uri(depth))
          .append('\n');
    }
    Files.writeString(dir.resolve("remote.csv"), remote);
    SparkGenerator g =
        SparkGenerator.builder()
            .tasks(List.of("shuffle", "depth", "position"))
            .partitions(2)
            .parquet(false)
            .build();

    Path outLocal = dir.resolve("out-local");
    // Locally the folder is paired by SPEC §1's names; remotely a listing names the same files.
    GenerationSummary a = g.write(spark, SceneListing.of(scenes.toString()), outLocal.toString());
    Path outRemote = dir.resolve("out-remote");
    GenerationSummary b =
        g.write(
            spark,
            SceneListing.of(TestFileSystem.uri(dir.resolve("remote.csv"))),
            TestFileSystem.uri(outRemote));
    assertTrue(b.out().startsWith("ssrltest:"), b.out());
    assertEquals(a.perTask(), b.perTask());
    Map<String, String> fa = Datasets.fingerprint(outLocal);
    assertEquals(fa, Datasets.fingerprint(outRemote));
    assertTrue(
        fa.keySet().stream().anyMatch(id -> id.contains("-depth-")),
        "depth maps were read from the non-local file system: " + fa.keySet());
  }

  /** A 16-bit grey PNG in millimetres, 0 where the depth is invalid (SPEC §1). */
  private static void writeDepthPng(DepthMap d, Path file) throws IOException {
    BufferedImage img = new BufferedImage(d.width(), d.height(), BufferedImage.TYPE_USHORT_GRAY);
    int[] row = new int[d.width()];
    for (int y = 0; y < d.height(); y++) {
      for (int x = 0; x < d.width(); x++) {
        float v = d.at(x, y);
        row[x] = Float.isFinite(v) && v > 0 ? Math.min(65535, Math.round(v * 1000)) : 0;
      }
      img.getRaster().setSamples(0, y, d.width(), 1, 0, row);
    }
    ImageIO.write(img, "png", file.toFile());
  }
}
