package dev.ssrl.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssrl.api.GenerationOptions;
import dev.ssrl.api.Outcome;
import dev.ssrl.api.Sample;
import dev.ssrl.api.Scene;
import dev.ssrl.tasks.depth.DepthNormalizer;
import dev.ssrl.tasks.depth.WindowStats;
import dev.ssrl.tasks.synthetic.SyntheticScenes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code position.rules=original}: every pair is a Position.py "near" or "far" pair when recomputed
 * from the depth map, and the answer follows from Δx (near) or Δz with Δx beyond 150 px (far) by
 * the direction table of SPEC §3.5, written out here independently of the task's code.
 */
class PositionOriginalRulesTest {
  /** SPEC §3.5: facing -> words for +Δx, −Δx, +Δz, −Δz. */
  private static final Map<String, String[]> TABLE =
      Map.of(
          "away", new String[] {"Right", "Left", "Front", "Back"},
          "towards", new String[] {"Left", "Right", "Back", "Front"},
          "left", new String[] {"Back", "Front", "Right", "Left"},
          "right", new String[] {"Front", "Back", "Left", "Right"});

  private static final GenerationOptions ORIGINAL =
      GenerationOptions.defaults().withParameters(Map.of("position.rules", "original"));

  @Test
  void everyPairIsNearOrFarAndTheAnswerFollowsTheOriginalRule() {
    RelativePositionTask task = new RelativePositionTask();
    Map<String, Integer> kinds = new HashMap<>();
    for (int i = 0; i < 10; i++) {
      Scene scene = SyntheticScenes.scene(11, i, 480, 360);
      DepthNormalizer.Normalized norm = DepthNormalizer.normalize(scene.depth()).orElseThrow();
      WindowStats ws = WindowStats.compute(norm.values(), norm.width(), norm.height(), 15);
      int w = norm.width();
      int h = norm.height();
      for (long seed = 0; seed < 6; seed++) {
        Outcome o = task.generate(scene, seed, ORIGINAL);
        if (!(o instanceof Sample s)) {
          continue;
        }
        Map<String, Object> m = s.metadata();
        Map<?, ?> cam = (Map<?, ?>) m.get("camera");
        Map<?, ?> tgt = (Map<?, ?>) m.get("target");
        int cl = (Integer) cam.get("left");
        int ct = (Integer) cam.get("top");
        int tl = (Integer) tgt.get("left");
        int tt = (Integer) tgt.get("top");
        float minC = ws.min(cl, ct);
        float maxC = ws.max(cl, ct);
        float minT = ws.min(tl, tt);
        float maxT = ws.max(tl, tt);
        int ddx = (Integer) tgt.get("x") - (Integer) cam.get("x");
        int ddy = (Integer) tgt.get("y") - (Integer) cam.get("y");
        double ddz = ws.mean(tl, tt) - ws.mean(cl, ct);
        boolean far = Math.max(minC, minT) - Math.min(maxC, maxT) >= 0.25;
        boolean near =
            !far
                && Math.abs(ddy) < 30.0 * h / 1200.0
                && Math.abs(ddx) >= Math.min(w, h) / 8
                && Math.abs(maxC - minT) <= 0.25
                && Math.abs(maxT - minC) <= 0.25;
        assertTrue(far || near, "pair is neither near nor far: " + m);
        assertEquals(far ? "far" : "near", m.get("pair"));
        assertEquals("original", m.get("rules"));
        String[] words = TABLE.get((String) m.get("facing"));
        String want;
        if (near) {
          want = ddx > 0 ? words[0] : words[1];
        } else {
          String z = ddz > 0 ? words[2] : words[3];
          if (Math.abs(ddx) > 150) {
            String x = ddx > 0 ? words[0] : words[1];
            boolean xIsSide = x.equals("Left") || x.equals("Right");
            want = xIsSide ? x + "-" + z : z + "-" + x;
          } else {
            want = z;
          }
        }
        @SuppressWarnings("unchecked")
        List<String> options = (List<String>) m.get("options");
        assertEquals(want, options.get(s.answer().charAt(0) - 'A'), m.toString());
        assertEquals(
            far, s.problem().contains("ignore the height difference between the two regions"));
        kinds.merge(far ? "far" : "near", 1, Integer::sum);
      }
    }
    assertTrue(kinds.getOrDefault("near", 0) > 0 && kinds.getOrDefault("far", 0) > 0, "" + kinds);
  }

  @Test
  void badRuleNamesAndBalancingAreRefusedNamingTheKey() {
    Scene scene = SyntheticScenes.scene(11, 0, 320, 240);
    RelativePositionTask task = new RelativePositionTask();
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                task.generate(
                    scene,
                    1,
                    GenerationOptions.defaults()
                        .withParameters(Map.of("position.rules", "paper"))));
    assertTrue(bad.getMessage().startsWith("position.rules must be current or original"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            task.generate(
                scene,
                1,
                GenerationOptions.defaults()
                    .withParameters(Map.of("position.rules", "original", "ssrl.balance", "true"))));
  }

  /**
   * {@code position.normalization=minmax}: the metadata's {@code low}/{@code high} are the valid
   * depth's minimum and maximum (found here by a plain scan), nothing is clipped, and the recorded
   * window depths are the raw window values mapped by those two numbers.
   */
  @Test
  void minMaxNormalizationMapsTheValidRangeAndIsRecorded() {
    GenerationOptions minmax =
        GenerationOptions.defaults()
            .withParameters(
                Map.of("position.normalization", "minmax", "position.rules", "original"));
    int checked = 0;
    for (int i = 0; i < 12; i++) {
      Scene scene = SyntheticScenes.scene(13, i, 320, 240);
      Outcome o = new RelativePositionTask().generate(scene, i, minmax);
      if (!(o instanceof Sample s)) {
        continue;
      }
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      int valid = 0;
      for (int k = 0; k < scene.depth().values().length; k++) {
        if (scene.depth().isValid(k)) {
          lo = Math.min(lo, scene.depth().values()[k]);
          hi = Math.max(hi, scene.depth().values()[k]);
          valid++;
        }
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> n = (Map<String, Object>) s.metadata().get("normalization");
      assertEquals(0.0, n.get("lowPercentile"));
      assertEquals(100.0, n.get("highPercentile"));
      assertEquals(lo, (Double) n.get("low"));
      assertEquals(hi, (Double) n.get("high"));
      assertEquals(valid, n.get("keptPixels"), "min-max clips nothing");
      @SuppressWarnings("unchecked")
      Map<String, Object> cam = (Map<String, Object>) s.metadata().get("camera");
      int left = (Integer) cam.get("left");
      int top = (Integer) cam.get("top");
      double min = Double.POSITIVE_INFINITY;
      for (int y = top; y < top + 15; y++) {
        for (int x = left; x < left + 15; x++) {
          min = Math.min(min, (float) ((scene.depth().at(x, y) - lo) / (hi - lo)));
        }
      }
      assertEquals(min, (Double) cam.get("minDepth"), 1e-6);
      checked++;
    }
    assertTrue(checked >= 3, "samples were made: " + checked);
    GenerationOptions bad =
        GenerationOptions.defaults().withParameters(Map.of("position.normalization", "clip"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new RelativePositionTask()
                    .generate(SyntheticScenes.scene(13, 0, 320, 240), 1, bad));
    assertTrue(e.getMessage().contains("position.normalization"), e.getMessage());
  }
}
