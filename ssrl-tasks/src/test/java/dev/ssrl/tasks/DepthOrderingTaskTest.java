package dev.ssrl.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ssrl.api.AnswerFormat;
import dev.ssrl.api.GenerationOptions;
import dev.ssrl.api.Outcome;
import dev.ssrl.api.Raster;
import dev.ssrl.api.Rejection;
import dev.ssrl.api.Sample;
import dev.ssrl.api.Scene;
import dev.ssrl.api.Task;
import dev.ssrl.api.Tasks;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DepthOrderingTaskTest {
  private final Task task = new DepthOrderingTask();

  /** Three vertical slabs at depths 1, 2 and 3 in a random order: every band has flat windows. */
  static Scene slabs(String id, int w, int h, int[] order) {
    float[] d = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        d[y * w + x] = 1 + order[Math.min(2, x * 3 / w)];
      }
    }
    return DepthOrderingTaskFixtures.scene(id, w, h, d);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> regions(Sample s) {
    return (List<Map<String, Object>>) s.metadata().get("regions");
  }

  private static double num(Map<String, Object> m, String key) {
    return ((Number) m.get(key)).doubleValue();
  }

  @Test
  void describesItself() {
    assertEquals("depth", task.id());
    assertEquals(AnswerFormat.PERMUTATION, task.answerFormat());
    assertTrue(task.needsDepth());
    assertInstanceOf(DepthOrderingTask.class, Tasks.all().get("depth"));
  }

  @Test
  void samplesOnRandomScenesObeyEveryRuleWhenRecomputedFromTheMap() {
    AtomicInteger accepted = new AtomicInteger();
    qt().withExamples(60)
        .forAll(integers().between(64, 180), integers().between(64, 180), longs().all())
        .checkAssert(
            (w, h, seed) -> {
              Scene scene = DepthOrderingTaskFixtures.randomScene(seed, w, h);
              Outcome o = task.generate(scene, seed ^ 0x5DEECE66DL);
              if (o instanceof Rejection r) {
                assertTrue(r.reason().startsWith("depth: "), r.reason());
                return;
              }
              accepted.incrementAndGet();
              checkSample(scene, (Sample) o);
            });
    assertTrue(accepted.get() >= 6, "too few random scenes accepted: " + accepted.get());
  }

  /**
   * Re-derives every rule of SPEC §3.4 from the metadata and the scene, without the task's code.
   */
  static void checkSample(Scene scene, Sample s) {
    int w = scene.rgb().width();
    @SuppressWarnings("unchecked")
    Map<String, Object> normMeta = (Map<String, Object>) s.metadata().get("normalization");
    float[] map =
        DepthOrderingTaskFixtures.renormalize(
            scene.depth(), num(normMeta, "low"), num(normMeta, "high"));
    List<Map<String, Object>> regions = regions(s);
    assertEquals(3, regions.size());
    double[] bandLow = {0, 0.35, 0.70};
    double[] bandHigh = {0.30, 0.65, 1.0};
    List<Map<String, Object>> byBand = new ArrayList<>(regions);
    byBand.sort(Comparator.comparingDouble(m -> num(m, "bandLow")));
    Set<Integer> labels = new HashSet<>();
    for (int b = 0; b < 3; b++) {
      Map<String, Object> m = byBand.get(b);
      labels.add((Integer) m.get("label"));
      assertEquals(bandLow[b], num(m, "bandLow"));
      int k = (Integer) m.get("window");
      int left = (Integer) m.get("left");
      int top = (Integer) m.get("top");
      assertEquals(left + k / 2, m.get("x"));
      assertEquals(top + k / 2, m.get("y"));
      double[] ref = DepthOrderingTaskFixtures.window(map, w, left, top, k);
      assertEquals(k * k, (int) ref[2], "window fully valid");
      assertEquals(ref[0], num(m, "minDepth"));
      assertEquals(ref[1], num(m, "maxDepth"));
      assertEquals(ref[3], num(m, "meanDepth"), 1e-9);
      double centre = map[(top + k / 2) * w + left + k / 2];
      assertEquals(centre, num(m, "centreDepth"));
      assertTrue(centre >= bandLow[b] && centre <= bandHigh[b], "centre in band");
      assertTrue(k == 25 || k == 11, "window size " + k);
      assertTrue(ref[1] - ref[0] < (k == 25 ? 0.15 : 0.20), "flat window");
    }
    assertEquals(Set.of(1, 2, 3), labels);
    for (int b = 0; b < 2; b++) {
      assertTrue(
          num(byBand.get(b + 1), "minDepth") - num(byBand.get(b), "maxDepth") > 0.05,
          "consecutive regions separated");
    }
    List<Map<String, Object>> byMean = new ArrayList<>(regions);
    byMean.sort(Comparator.comparingDouble(m -> num(m, "meanDepth")));
    String expected =
        byMean.get(0).get("label")
            + "-"
            + byMean.get(1).get("label")
            + "-"
            + byMean.get(2).get("label");
    assertEquals(expected, s.answer(), "labels from nearest to farthest mean depth");
    assertMarkersOnlyChangePixelsNearRegions(scene.rgb(), s.images().get(0), regions, s);
  }

  private static void assertMarkersOnlyChangePixelsNearRegions(
      Raster before, Raster after, List<Map<String, Object>> regions, Sample s) {
    int r = ((Number) s.metadata().get("markerRadius")).intValue();
    assertEquals(Math.max(8, Math.min(before.width(), before.height()) / 40), r);
    int changedNearMarkers = 0;
    for (int y = 0; y < before.height(); y++) {
      for (int x = 0; x < before.width(); x++) {
        boolean near = false;
        for (Map<String, Object> m : regions) {
          long dx = x - (Integer) m.get("x");
          long dy = y - (Integer) m.get("y");
          near |= dx * dx + dy * dy <= (long) r * r;
        }
        boolean changed = before.rgbAt(x, y) != after.rgbAt(x, y);
        assertTrue(near || !changed, "pixel (" + x + "," + y + ") changed away from markers");
        if (near && changed) {
          changedNearMarkers++;
        }
      }
    }
    assertTrue(changedNearMarkers > 0, "markers drawn");
  }

  @Test
  void sameSeedGivesIdenticalSamplesAndSeedsVaryTheAnswer() {
    Scene scene = slabs("slabs", 200, 120, new int[] {1, 0, 2});
    GenerationOptions options = GenerationOptions.defaults().withVariant(3);
    Set<String> answers = new HashSet<>();
    Set<Object> regionSets = new HashSet<>();
    for (long seed = 0; seed < 12; seed++) {
      Sample a = (Sample) task.generate(scene, seed, options);
      Sample b = (Sample) task.generate(scene, seed, options);
      assertEquals(a, b);
      assertTrue(java.util.Arrays.equals(a.images().get(0).data(), b.images().get(0).data()));
      checkSample(scene, a);
      answers.add(a.answer());
      regionSets.add(a.metadata().get("regions"));
      assertEquals("slabs-depth-3", a.id());
    }
    assertTrue(answers.size() >= 3, "answers vary with the seed: " + answers);
    assertTrue(regionSets.size() >= 6, "regions vary with the seed");
  }

  @Test
  void problemIsTheProfileQuestionThenTheSuffix() {
    Scene scene = slabs("s", 160, 100, new int[] {0, 1, 2});
    Sample s = (Sample) task.generate(scene, 1);
    String q = PromptProfile.named("spatial-ssrl").format("depth.question", Map.of());
    assertEquals(q + " " + GenerationOptions.DEFAULT_SUFFIX, s.problem());
    Sample bare = (Sample) task.generate(scene, 1, GenerationOptions.defaults().withSuffix(""));
    assertEquals(q, bare.problem());
    assertTrue(s.problem().startsWith("<image>"));
  }

  @Test
  void sceneWithoutDepthIsRejected() {
    Scene scene = Scene.rgbOnly("rgb", Raster.blank(80, 80));
    assertEquals(new Rejection("rgb", "depth", "depth: no depth map"), task.generate(scene, 0));
  }

  @Test
  void sceneWithUnderFivePercentValidDepthIsRejected() {
    float[] d = new float[100 * 100];
    for (int i = 0; i < 499; i++) {
      d[i * 20] = 1 + i;
    }
    Outcome o = task.generate(DepthOrderingTaskFixtures.scene("sparse", 100, 100, d), 0);
    assertEquals(new Rejection("sparse", "depth", "depth: too few valid pixels"), o);
  }

  @Test
  void sceneWithOnlyNearAndFarSurfacesHasNoMiddleRegion() {
    float[] d = new float[120 * 90];
    for (int i = 0; i < d.length; i++) {
      d[i] = i % 120 < 60 ? 1f : 5f;
    }
    Outcome o = task.generate(DepthOrderingTaskFixtures.scene("two", 120, 90, d), 0);
    assertEquals(new Rejection("two", "depth", "depth: no flat window in band [0.35,0.65]"), o);
  }

  @Test
  void sceneWhoseNearPartIsRoughHasNoNearRegion() {
    // Normalised: a 0 / 0.25 checkerboard on the left (too rough even for 11x11), then 0.5 and 1.
    int w = 160;
    int h = 90;
    float[] d = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        d[y * w + x] = x < 60 ? ((x + y) % 2 == 0 ? 1f : 2.25f) : x < 110 ? 3.5f : 6f;
      }
    }
    Outcome o = task.generate(DepthOrderingTaskFixtures.scene("rough", w, h, d), 0);
    assertEquals(new Rejection("rough", "depth", "depth: no flat window in band [0,0.30]"), o);
  }

  @Test
  void interleavedNearAndMiddleStripesAreNeverSeparated() {
    // Normalised 0.29 / 0.40 column stripes: flat enough for both bands, never 0.05 apart. A small
    // patch at depth 1 fixes the 0 of the normalisation, a far block at depth 2 fixes the 1.
    int w = 128;
    int h = 128;
    float[] d = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float v = x >= 98 ? 2f : x % 2 == 0 ? 1.29f : 1.40f;
        if (x < 10 && y < 10) {
          v = 1f;
        }
        d[y * w + x] = v;
      }
    }
    Outcome o = task.generate(DepthOrderingTaskFixtures.scene("stripes", w, h, d), 0);
    assertEquals(new Rejection("stripes", "depth", "depth: no separated regions"), o);
  }

  @Test
  void fallsBackToSmallWindowsWhereNoLargeWindowFits() {
    // The middle band only exists as a 20-px-wide strip: too narrow for 25x25, enough for 11x11.
    int w = 150;
    int h = 100;
    float[] d = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        d[y * w + x] = x < 65 ? 1f : x < 85 ? 2f : 3f;
      }
    }
    Scene scene = DepthOrderingTaskFixtures.scene("narrow", w, h, d);
    Sample s = (Sample) task.generate(scene, 5);
    checkSample(scene, s);
    for (Map<String, Object> m : regions(s)) {
      assertEquals(num(m, "bandLow") == 0.35 ? 11 : 25, m.get("window"), m.toString());
    }
  }
}
