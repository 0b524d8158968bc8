package dev.ssrl.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ssrl.api.Raster;
import dev.ssrl.dataset.DatasetFormat;
import dev.ssrl.tasks.image.ImageCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --depth-model} on Spark with the tiny model of ssrl-depth's tests (inverse depth = the
 * normalised red channel + 3): photos without a depth file give depth samples whose answers follow
 * from the model, with the CLI's provenance and manifest counts.
 */
class DepthModelSparkTest {
  static final Path TINY =
      Path.of("../ssrl-depth/src/test/resources/dev/ssrl/depth/tiny-depth.onnx")
          .toAbsolutePath()
          .normalize();

  /** Red rises with the row: lower is nearer. */
  static Raster redRamp(int w, int h, int seed) {
    byte[] px = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = 3 * (y * w + x);
        px[i] = (byte) Math.round(255.0 * y / (h - 1));
        px[i + 1] = (byte) ((x * 7 + y * 3 + seed * 31) & 0xFF);
        px[i + 2] = (byte) ((x * x + seed) & 0xFF);
      }
    }
    return Raster.of(w, h, px);
  }

  @Test
  void photosGetEstimatedDepthOnExecutors(@TempDir Path dir) throws Exception {
    Path src = Files.createDirectories(dir.resolve("photos"));
    for (int i = 0; i < 3; i++) {
      Files.write(src.resolve("p" + i + ".png"), ImageCodec.encodePng(redRamp(320, 240, i)));
    }
    Path out = dir.resolve("out");
    SparkGenerator.builder()
        .tasks(List.of("depth"))
        .perScene(2)
        .parquet(false)
        .depthModel(TINY.toString())
        .build()
        .write(LocalSpark.session(), SceneListing.of(src.toString()), out.toString());
    ObjectMapper json = new ObjectMapper();
    List<String> lines = Datasets.rawLines(out, DatasetFormat.jsonl(DatasetFormat.TRAIN));
    assertEquals(6, lines.size(), lines.toString());
    for (String l : lines) {
      JsonNode n = json.readTree(l);
      JsonNode meta = n.get("metadata");
      assertEquals("estimated", meta.get("depthSource").asText());
      assertEquals("tiny-depth.onnx", meta.get("depthModel").asText());
      // Nearest first = lowest marker first.
      List<JsonNode> regions = new java.util.ArrayList<>();
      meta.get("regions").forEach(regions::add);
      regions.sort((a, b) -> Integer.compare(b.get("y").asInt(), a.get("y").asInt()));
      String expected =
          regions.get(0).get("label").asText()
              + "-"
              + regions.get(1).get("label").asText()
              + "-"
              + regions.get(2).get("label").asText();
      assertEquals(expected, n.get("answer").asText(), n.get("id").asText());
    }
    JsonNode manifest = Datasets.manifest(out);
    assertEquals(3, manifest.at("/depthScenes/estimated").asInt(), manifest.toString());
    assertEquals(0, manifest.at("/depthScenes/sensor").asInt());
    assertTrue(manifest.at("/audit/tasks/depth~1estimated/samples").asInt() == 6);
  }
}
