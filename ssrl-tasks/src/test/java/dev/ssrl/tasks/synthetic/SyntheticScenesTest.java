package dev.ssrl.tasks.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ssrl.api.DepthMap;
import dev.ssrl.api.Sample;
import dev.ssrl.api.Scene;
import dev.ssrl.api.Task;
import dev.ssrl.tasks.CropTask;
import dev.ssrl.tasks.FlipTask;
import dev.ssrl.tasks.ShuffleTask;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticScenesTest {

  @Test
  void sameArgumentsGiveIdenticalBytesAndOtherSeedsOrIndicesDiffer() {
    qt().withExamples(6)
        .forAll(integers().between(0, 9999), longs().all())
        .checkAssert(
            (index, seed) -> {
              Scene a = SyntheticScenes.scene(seed, index, 96, 72);
              Scene b = SyntheticScenes.scene(seed, index, 96, 72);
              assertEquals(a, b);
              assertNotEquals(a.rgb(), SyntheticScenes.scene(seed + 1, index, 96, 72).rgb());
              assertNotEquals(a.rgb(), SyntheticScenes.scene(seed, index + 1, 96, 72).rgb());
            });
  }

  @Test
  void depthIsValidOnEnoughVariedPixelsAndInvalidOnlyAsZero() {
    qt().withExamples(8)
        .forAll(integers().between(0, 9999), longs().all())
        .checkAssert(
            (index, seed) -> {
              Scene s = SyntheticScenes.scene(seed, index, 160, 120);
              DepthMap d = s.depth();
              int valid = d.validCount();
              assertTrue(valid >= 0.05 * 160 * 120, "valid fraction too small: " + valid);
              float min = Float.POSITIVE_INFINITY;
              float max = 0;
              for (float v : d.values()) {
                assertTrue(v == 0f || (v > 0f && v <= SyntheticScenes.FAR), "depth " + v);
                if (v > 0) {
                  min = Math.min(min, v);
                  max = Math.max(max, v);
                }
              }
              assertTrue(max > 2 * min, "depth range " + min + ".." + max);
            });
  }

  @Test
  void theTopRowIsSkyAndTheBottomRowIsNearGround() {
    for (int i = 0; i < 6; i++) {
      Scene s = SyntheticScenes.scene(3, i, 160, 120);
      DepthMap d = s.depth();
      // The camera pitches down at most 14 degrees with a vertical half-FOV above 20 degrees, so
      // the top row looks above the horizon (sky unless a tall object stands in front) and the
      // bottom row hits the ground within 5 m (camera at most 2.2 m high) or a nearer object.
      int sky = 0;
      for (int x = 0; x < 160; x++) {
        sky += d.at(x, 0) == 0f ? 1 : 0;
        assertTrue(d.isValid(x, 119) && d.at(x, 119) < 5f, "bottom row " + d.at(x, 119));
      }
      assertTrue(sky >= 16, "top row shows sky: " + sky);
    }
  }

  @Test
  void builtInScenesAreNamedAndSized() {
    List<Scene> scenes = SyntheticScenes.builtIn(3);
    assertEquals(3, scenes.size());
    assertEquals("synthetic-0000", scenes.get(0).id());
    assertEquals("synthetic-0002", scenes.get(2).id());
    for (Scene s : scenes) {
      assertEquals(SyntheticScenes.BUILT_IN_WIDTH, s.rgb().width());
      assertEquals(SyntheticScenes.BUILT_IN_HEIGHT, s.rgb().height());
      assertTrue(s.hasDepth());
    }
    assertEquals(scenes.get(1), SyntheticScenes.scene(SyntheticScenes.BUILT_IN_SEED, 1, 640, 480));
    assertEquals(List.of(), SyntheticScenes.builtIn(0));
  }

  @Test
  void everyRgbTaskAcceptsBuiltInScenes() {
    Task[] tasks = {new ShuffleTask(), new FlipTask(), new CropTask()};
    for (Scene s : SyntheticScenes.builtIn(3)) {
      for (Task t : tasks) {
        assertInstanceOf(Sample.class, t.generate(s, 99), t.id() + " on " + s.id());
      }
    }
  }

  @Test
  void badArgumentsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> SyntheticScenes.scene(1, -1, 10, 10));
    assertThrows(IllegalArgumentException.class, () -> SyntheticScenes.scene(1, 0, 0, 10));
    assertThrows(IllegalArgumentException.class, () -> SyntheticScenes.builtIn(-1));
  }
}
