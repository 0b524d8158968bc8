package dev.ssrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.api.Raster;
import dev.ssrl.api.Scene;
import dev.ssrl.cli.common.Json;
import dev.ssrl.tasks.image.ImageCodec;
import dev.ssrl.tasks.synthetic.SyntheticScenes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --depth-model} end to end with the tiny model of ssrl-depth's tests, whose inverse depth
 * is the normalised red channel plus 3: on photos whose red rises with the row, lower is nearer, so
 * every depth answer is known from the markers' rows alone.
 */
class DepthModelTest {
  static final Path TINY =
      Path.of("../ssrl-depth/src/test/resources/dev/ssrl/depth/tiny-depth.onnx")
          .toAbsolutePath()
          .normalize();
  static final String TINY_SHA256 =
      "ef8521d91f5b09c093ee4ca621cd315e3729a3ae0ff3a8184aa29ffe43669509";

  /** Red rises with the row; green and blue are texture the model ignores. */
  static Raster redRamp(int w, int h, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    byte[] px = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      int red = (int) Math.round(255.0 * y / (h - 1));
      for (int x = 0; x < w; x++) {
        int i = 3 * (y * w + x);
        px[i] = (byte) red;
        px[i + 1] = (byte) ((x * 7 + y * 3 + rng.nextInt(40)) & 0xFF);
        px[i + 2] = (byte) rng.nextInt(256);
      }
    }
    return Raster.of(w, h, px);
  }

  static Path folder(Path dir) throws Exception {
    Path src = Files.createDirectories(dir.resolve("photos"));
    for (int i = 0; i < 4; i++) {
      Files.write(src.resolve("photo" + i + ".png"), ImageCodec.encodePng(redRamp(320, 240, i)));
    }
    // One RGB-D scene: its own depth must be used, not the model's.
    Scene rgbd = SyntheticScenes.scene(5, 1, 320, 240);
    Files.write(src.resolve("room.png"), ImageCodec.encodePng(rgbd.rgb()));
    Files.write(src.resolve("room_depth.npy"), BadInputCorpus.npyFloat32(rgbd.depth()));
    return src;
  }

  static List<JsonNode> lines(Path jsonl) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(jsonl)) {
      out.add(Json.MAPPER.readTree(l));
    }
    return out;
  }

  @Test
  void plainPhotosGetDepthAndPositionSamplesFromTheModel(@TempDir Path dir) throws Exception {
    Path src = folder(dir);
    Path out = dir.resolve("out");
    Cli r =
        Cli.run(
            "generate",
            "--out",
            out.toString(),
            "--tasks",
            "depth,position",
            "--per-scene",
            "3",
            "--threads",
            "3",
            "--depth-model",
            TINY.toString(),
            src.toString());
    assertEquals(0, r.status, r.toString());
    assertTrue(r.err.contains("tiny-depth.onnx sha256:" + TINY_SHA256), r.err);
    int estimatedDepth = 0;
    int estimatedPosition = 0;
    int sensor = 0;
    for (JsonNode n : lines(out.resolve("train.jsonl"))) {
      JsonNode meta = n.get("metadata");
      String id = n.get("id").asText();
      if (id.startsWith("room-")) {
        assertFalse(meta.has("depthSource"), id + " used sensor depth: " + meta);
        sensor++;
        continue;
      }
      assertEquals("estimated", meta.get("depthSource").asText(), id);
      assertEquals("tiny-depth.onnx", meta.get("depthModel").asText(), id);
      assertEquals(TINY_SHA256, meta.get("depthModelSha256").asText(), id);
      if (n.get("task").asText().equals("depth")) {
        estimatedDepth++;
        // Nearest first: the markers by row, lowest row first (redder is nearer).
        List<JsonNode> regions = new ArrayList<>();
        meta.get("regions").forEach(regions::add);
        regions.sort(Comparator.comparingInt((JsonNode g) -> g.get("y").asInt()).reversed());
        String expected =
            regions.get(0).get("label").asText()
                + "-"
                + regions.get(1).get("label").asText()
                + "-"
                + regions.get(2).get("label").asText();
        assertEquals(expected, n.get("answer").asText(), id + " " + meta);
      } else {
        estimatedPosition++;
      }
    }
    assertTrue(estimatedDepth >= 4, "depth samples from photos: " + estimatedDepth);
    assertTrue(estimatedPosition >= 4, "position samples from photos: " + estimatedPosition);
    assertTrue(sensor >= 1, "samples of the RGB-D scene: " + sensor);

    JsonNode manifest = Json.MAPPER.readTree(out.resolve("manifest.json").toFile());
    assertEquals(1, manifest.at("/depthScenes/sensor").asInt(), manifest.toString());
    assertEquals(4, manifest.at("/depthScenes/estimated").asInt(), manifest.toString());
    assertEquals(
        "tiny-depth.onnx sha256:" + TINY_SHA256,
        manifest.at("/config/parameters/ssrl.depth-model").asText());
    assertEquals(
        estimatedDepth, manifest.at("/audit/tasks/depth~1estimated/samples").asInt(), "audit");
    assertTrue(manifest.at("/audit/tasks/depth/samples").asInt() >= 1, "sensor audit apart");

    // The same bytes on one thread.
    Path one = dir.resolve("one");
    Cli r1 =
        Cli.run(
            "generate",
            "--out",
            one.toString(),
            "--tasks",
            "depth,position",
            "--per-scene",
            "3",
            "--threads",
            "1",
            "--depth-model",
            TINY.toString(),
            src.toString());
    assertEquals(0, r1.status, r1.toString());
    assertEquals(Cli.tree(out), Cli.tree(one));
  }

  @Test
  void withoutTheOptionPhotosGiveNoDepthSamplesAndTheManifestIsUnchanged(@TempDir Path dir)
      throws Exception {
    Path src = folder(dir);
    Path out = dir.resolve("out");
    Cli r = Cli.run("generate", "--out", out.toString(), "--tasks", "depth", src.toString());
    assertEquals(0, r.status, r.toString());
    for (JsonNode n : lines(out.resolve("train.jsonl"))) {
      assertTrue(n.get("id").asText().startsWith("room-"), n.toString());
    }
    JsonNode manifest = Json.MAPPER.readTree(out.resolve("manifest.json").toFile());
    assertFalse(manifest.has("depthScenes"), manifest.toString());
  }

  @Test
  void aFileThatIsNotAModelIsAUsageErrorNamingIt(@TempDir Path dir) throws Exception {
    Path src = folder(dir);
    Path bad = dir.resolve("model.onnx");
    Files.writeString(bad, "not a model");
    Cli r =
        Cli.run(
            "generate",
            "--out",
            dir.resolve("out").toString(),
            "--tasks",
            "depth",
            "--depth-model",
            bad.toString(),
            src.toString());
    assertEquals(2, r.status, r.toString());
    assertTrue(r.err.contains(bad.toString()), r.err);
    assertTrue(r.err.contains("not a readable ONNX model"), r.err);
    Cli missing =
        Cli.run(
            "generate",
            "--out",
            dir.resolve("out2").toString(),
            "--depth-model",
            dir.resolve("absent.onnx").toString(),
            src.toString());
    assertEquals(2, missing.status, missing.toString());
    assertTrue(missing.err.contains("absent.onnx: no such file"), missing.err);
  }
}
