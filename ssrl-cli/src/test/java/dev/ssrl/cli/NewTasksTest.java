package dev.ssrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.api.DepthMap;
import dev.ssrl.api.Scene;
import dev.ssrl.cli.common.Json;
import dev.ssrl.cli.generate.Generator;
import dev.ssrl.tasks.scene.SceneFiles;
import dev.ssrl.tasks.scene.SceneFolder;
import dev.ssrl.tasks.synthetic.SyntheticScenes;
import dev.ssrl.testsupport.SharedData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The opt-in tasks of issue 30, {@code depth-points} and {@code rotation}, end to end: generate
 * runs them beside shuffle when named, on the built-in scenes and on the shared photos, a run
 * without a task list leaves them out, every written depth-points answer follows from the scene's
 * depth map and the written metadata, rotation images are squares, the audit prints no shortcut
 * warning, and the preview captions them.
 */
class NewTasksTest {
  @TempDir Path tmp;

  private static List<JsonNode> rows(Path ds) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(ds.resolve(Generator.TRAIN))) {
      out.add(Json.MAPPER.readTree(line));
    }
    return out;
  }

  private static JsonNode manifest(Path ds) throws IOException {
    return Json.MAPPER.readTree(ds.resolve(Generator.MANIFEST).toFile());
  }

  /**
   * The answer is the written points sorted by the raw depth at their centres in the scene's own
   * depth map, and the recorded raw depths are that map's values.
   */
  private static void assertDepthOrder(JsonNode row, DepthMap depth) {
    List<JsonNode> points = new ArrayList<>();
    row.get("metadata").get("points").forEach(points::add);
    int k = row.get("metadata").get("k").asInt();
    assertEquals(k, points.size());
    for (JsonNode p : points) {
      float raw = depth.at(p.get("x").asInt(), p.get("y").asInt());
      assertEquals(raw, p.get("rawCentreDepth").asDouble(), 0.0, row.get("id").asText());
    }
    points.sort(Comparator.comparingDouble(p -> p.get("rawCentreDepth").asDouble()));
    String order =
        points.stream().map(p -> p.get("label").asText()).collect(Collectors.joining("-"));
    assertEquals(order, row.get("answer").asText(), row.get("id").asText());
    Set<String> labels = new HashSet<>(List.of(order.split("-")));
    assertEquals(k, labels.size(), "a permutation");
  }

  private static void assertSquareRotation(Path ds, JsonNode row) throws IOException {
    JsonNode meta = row.get("metadata");
    int side = Math.min(meta.get("imageWidth").asInt(), meta.get("imageHeight").asInt());
    BufferedImage img = ImageIO.read(ds.resolve(row.get("images").get(0).asText()).toFile());
    assertEquals(side, img.getWidth(), "square");
    assertEquals(side, img.getHeight(), "square");
    String letter = String.valueOf((char) ('A' + meta.get("rotation").asInt() / 90));
    assertEquals(letter, row.get("answer").asText());
    double d = meta.get("difficulty").asDouble();
    assertTrue(d >= 0 && d <= 1, "difficulty " + d);
  }

  @Test
  void generateRunsTheNewTasksWhenNamedAndOnlyThen() throws IOException {
    Path ds = tmp.resolve("ds");
    Cli r =
        Cli.run(
            "generate",
            "--out",
            ds.toString(),
            "--tasks",
            "depth-points,rotation,shuffle",
            "--builtin-scenes",
            "4",
            "--threads",
            "2");
    assertEquals(0, r.status, r::toString);
    JsonNode manifest = manifest(ds);
    for (String t : List.of("depth-points", "rotation", "shuffle")) {
      assertEquals(4, manifest.get("counts").get(t).get("train").asLong(), t);
    }
    assertEquals(0, manifest.get("audit").get("warnings").size(), manifest.get("audit")::toString);
    Map<String, Scene> scenes = new HashMap<>();
    for (Scene s : SyntheticScenes.builtIn(4)) {
      scenes.put(s.id(), s);
    }
    for (JsonNode row : rows(ds)) {
      String task = row.get("task").asText();
      String scene = row.get("id").asText().substring(0, "synthetic-0000".length());
      if (task.equals("depth-points")) {
        assertDepthOrder(row, scenes.get(scene).depth());
      } else if (task.equals("rotation")) {
        assertSquareRotation(ds, row);
      }
    }

    // Preview: the tasks' own captions.
    Path html = tmp.resolve("preview.html");
    Cli p = Cli.run("preview", "--dataset", ds.toString(), "--out", html.toString());
    assertEquals(0, p.status, p::toString);
    String page = Files.readString(html);
    assertTrue(page.contains("nearest to farthest: "), "depth-points caption");
    assertTrue(page.contains("clockwise ("), "rotation caption");

    // Without a task list: not run.
    Path plain = tmp.resolve("plain");
    Cli d =
        Cli.run("generate", "--out", plain.toString(), "--builtin-scenes", "1", "--threads", "2");
    assertEquals(0, d.status, d::toString);
    List<String> tasks = new ArrayList<>();
    manifest(plain).get("config").get("tasks").forEach(t -> tasks.add(t.asText()));
    // (This module's test fakes run by default too, after the five.)
    assertEquals(List.of("shuffle", "flip", "crop", "depth", "position"), tasks.subList(0, 5));
    assertFalse(tasks.contains("depth-points") || tasks.contains("rotation"), "" + tasks);
  }

  @Test
  void generateRunsThemOnTheSharedPhotos() throws IOException {
    Path rgbd = SharedData.require("data/rgbd");
    Path rgb = SharedData.require("data/rgb");
    Path ds = tmp.resolve("shared");
    Cli r =
        Cli.run(
            "generate",
            "--out",
            ds.toString(),
            "--tasks",
            "depth-points,rotation,shuffle",
            "--per-scene",
            "2",
            "--threads",
            "2",
            rgbd.toString(),
            rgb.toString());
    assertEquals(0, r.status, r::toString);
    JsonNode manifest = manifest(ds);
    assertEquals(0, manifest.get("audit").get("warnings").size(), manifest.get("audit")::toString);
    Map<String, DepthMap> depth = new HashMap<>();
    for (SceneFiles f : SceneFolder.scan(rgbd)) {
      if (f.hasDepth()) {
        depth.put(f.id(), f.load().depth());
      }
    }
    int depthPoints = 0;
    int rotation = 0;
    for (JsonNode row : rows(ds)) {
      String task = row.get("task").asText();
      String id = row.get("id").asText();
      if (task.equals("depth-points")) {
        String scene = id.substring(0, id.indexOf("-depth-points-"));
        assertTrue(depth.containsKey(scene), "depth-points only from RGB-D scenes: " + id);
        assertDepthOrder(row, depth.get(scene));
        depthPoints++;
      } else if (task.equals("rotation")) {
        assertSquareRotation(ds, row);
        rotation++;
      }
    }
    assertTrue(depthPoints > 0 && rotation > 0, depthPoints + " / " + rotation);
    // The RGB-only photos are rejected by depth-points for want of depth, never by rotation.
    List<String> reasons = Files.readAllLines(ds.resolve(Generator.REJECTS));
    assertFalse(reasons.isEmpty());
    for (String line : reasons) {
      JsonNode j = Json.MAPPER.readTree(line);
      assertEquals("depth-points: no depth map", j.get("reason").asText(), line);
    }
  }
}
