package dev.ssrl.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssrl.api.Outcome;
import dev.ssrl.api.Rejection;
import dev.ssrl.api.Sample;
import dev.ssrl.api.Scene;
import dev.ssrl.api.Task;
import dev.ssrl.tasks.depth.DepthNormalizer;
import dev.ssrl.tasks.scene.SceneFiles;
import dev.ssrl.tasks.scene.SceneFolder;
import dev.ssrl.testsupport.SharedData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The depth and position tasks on the real RGB-D scenes of {@code ../shared/data/rgbd}: every
 * sample's answer is re-derived here from the normalised map and the metadata, with the rules of
 * SPEC §3.4/§3.5 written out independently of the generators.
 */
class DepthTasksOnSharedDataTest {
  private static final int SEEDS = 6;

  static Scene load(String name) throws Exception {
    Path png =
        SharedData.require(
            "data/rgbd/" + (name.startsWith("diode") ? name + ".png" : name + ".jpg"));
    List<SceneFiles> all = SceneFolder.scan(png.getParent());
    SceneFiles files = all.stream().filter(f -> f.id().equals(name)).findFirst().orElseThrow();
    assertTrue(files.hasDepth(), name + " is paired with its depth map");
    return files.load();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> regions(Sample s) {
    return (List<Map<String, Object>>) s.metadata().get("regions");
  }

  private static double num(Map<String, Object> m, String key) {
    return ((Number) m.get(key)).doubleValue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"diode-1", "megadepth-1", "megadepth-2"})
  void depthAnswersListRegionsFromNearestToFarthestAndObeyTheWindowRules(String name)
      throws Exception {
    Scene scene = load(name);
    float[] norm = DepthNormalizer.normalize(scene.depth()).orElseThrow().values();
    int w = scene.rgb().width();
    Task task = new DepthOrderingTask();
    int samples = 0;
    for (long seed = 0; seed < SEEDS; seed++) {
      Outcome o = task.generate(scene, seed);
      if (o instanceof Rejection r) {
        assertTrue(r.reason().startsWith("depth: "), r.reason());
        continue;
      }
      Sample s = (Sample) o;
      samples++;
      List<Map<String, Object>> rs = new ArrayList<>(regions(s));
      for (Map<String, Object> r : rs) {
        int k = (int) num(r, "window");
        int left = (int) num(r, "left");
        int top = (int) num(r, "top");
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (int y = top; y < top + k; y++) {
          for (int x = left; x < left + k; x++) {
            float v = norm[y * w + x];
            assertTrue(!Float.isNaN(v), "window of " + r + " is fully valid");
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
          }
        }
        assertEquals(min, num(r, "minDepth"), 0.0);
        assertEquals(max, num(r, "maxDepth"), 0.0);
        assertEquals(sum / (k * k), num(r, "meanDepth"), 1e-6);
        assertTrue(max - min < (k == 25 ? 0.15 : 0.20), "flat window " + r);
        double centre = norm[(top + k / 2) * w + left + k / 2];
        assertTrue(centre >= num(r, "bandLow") && centre <= num(r, "bandHigh"), "centre in band");
      }
      rs.sort(Comparator.comparingDouble(r -> num(r, "meanDepth")));
      for (int i = 0; i + 1 < rs.size(); i++) {
        assertTrue(
            num(rs.get(i + 1), "minDepth") - num(rs.get(i), "maxDepth") > 0.05,
            "consecutive regions are separated");
      }
      String expected =
          rs.stream().map(r -> String.valueOf(r.get("label"))).collect(Collectors.joining("-"));
      assertEquals(expected, s.answer());
      assertEquals(s, task.generate(scene, seed), "same seed, same sample");
    }
    assertTrue(samples > 0 || name.equals("megadepth-2"), name + " yields depth samples");
  }

  /** SPEC §3.5's table, written out again: [facing][axis sign] → word. */
  private static String word(String facing, boolean horizontal, double delta) {
    boolean pos = delta > 0;
    switch (facing) {
      case "away":
        return horizontal ? (pos ? "Right" : "Left") : (pos ? "Front" : "Back");
      case "towards":
        return horizontal ? (pos ? "Left" : "Right") : (pos ? "Back" : "Front");
      case "left":
        return horizontal ? (pos ? "Back" : "Front") : (pos ? "Right" : "Left");
      case "right":
        return horizontal ? (pos ? "Front" : "Back") : (pos ? "Left" : "Right");
      default:
        throw new AssertionError("unknown facing " + facing);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"diode-1", "megadepth-1", "megadepth-2"})
  @SuppressWarnings("unchecked")
  void positionAnswersFollowTheDirectionTable(String name) throws Exception {
    Scene scene = load(name);
    Task task = new RelativePositionTask();
    int samples = 0;
    for (long seed = 0; seed < SEEDS; seed++) {
      Outcome o = task.generate(scene, seed);
      if (o instanceof Rejection r) {
        assertTrue(r.reason().startsWith("position: "), r.reason());
        continue;
      }
      Sample s = (Sample) o;
      samples++;
      Map<String, Object> m = s.metadata();
      Map<String, Object> cam = (Map<String, Object>) m.get("camera");
      Map<String, Object> tgt = (Map<String, Object>) m.get("target");
      double dx = num(tgt, "x") - num(cam, "x");
      double dz = num(tgt, "meanDepth") - num(cam, "meanDepth");
      assertEquals(dx, num(m, "deltaX"), 1e-9);
      assertEquals(dz, num(m, "deltaZ"), 1e-9);
      assertTrue(Math.hypot(dx, num(tgt, "y") - num(cam, "y")) >= num(m, "minDistance"));
      boolean hx = Math.abs(dx) >= num(m, "thresholdX");
      boolean hz = Math.abs(dz) >= num(m, "thresholdZ");
      assertTrue(hx || hz, "at least one component present");
      String facing = (String) m.get("facing");
      String direction;
      if (hx && hz) {
        String a = word(facing, true, dx);
        String b = word(facing, false, dz);
        boolean aIsLr = a.equals("Left") || a.equals("Right");
        direction = aIsLr ? a + "-" + b : b + "-" + a;
      } else {
        direction = hx ? word(facing, true, dx) : word(facing, false, dz);
      }
      List<String> options = (List<String>) m.get("options");
      assertEquals(4, options.size());
      assertEquals(direction, options.get(s.answer().charAt(0) - 'A'), "answer letter");
    }
    assertTrue(samples > 0, name + " yields position samples");
  }
}
