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
  void everySceneHasSomethingNearInTheUpperPartOfTheImage() {
    // Every scene places 2-4 objects 1.5-6 m away with their centres in the upper 37.5% of the
    // rows (SyntheticScenes javadoc); whatever hides them is nearer still. So image height cannot
    // stand in for depth: something within 6.5 m is always visible in the upper 45% of the image.
    qt().withExamples(40)
        .forAll(integers().between(0, 9999), longs().all())
        .checkAssert(
            (index, seed) -> {
              Scene s = SyntheticScenes.scene(seed, index, 160, 120);
              DepthMap d = s.depth();
              float nearest = Float.POSITIVE_INFINITY;
              for (int y = 0; y < 54; y++) {
                for (int x = 0; x < 160; x++) {
                  if (d.isValid(x, y)) {
                    nearest = Math.min(nearest, d.at(x, y));
                  }
                }
              }
              assertTrue(nearest < 6.5f, "nearest depth in the upper rows: " + nearest);
            });
  }

  @Test
  void inManyBuiltInScenesTheTopOfTheImageIsNearerThanItsBottom() {
    // On a level camera over bare ground the bottom quarter is always the nearer one (the former
    // scenes: 6 of 48, all from a tall object in front). Ceilings, canopies, near objects at the
    // top and tilted cameras turn that round in a good share of the scenes.
    int topNearer = 0;
    int n = 48;
    for (int i = 0; i < n; i++) {
      DepthMap d = SyntheticScenes.scene(SyntheticScenes.BUILT_IN_SEED, i, 160, 120).depth();
      if (medianDepth(d, 0, 30) < medianDepth(d, 90, 120)) {
        topNearer++;
      }
    }
    assertTrue(topNearer >= n / 3, "top quarter nearer in " + topNearer + " of " + n);
  }

  /** The median valid depth of rows y0 (inclusive) to y1 (exclusive); +inf when none is valid. */
  private static double medianDepth(DepthMap d, int y0, int y1) {
    float[] v = new float[d.width() * (y1 - y0)];
    int n = 0;
    for (int y = y0; y < y1; y++) {
      for (int x = 0; x < d.width(); x++) {
        if (d.isValid(x, y)) {
          v[n++] = d.at(x, y);
        }
      }
    }
    if (n == 0) {
      return Double.POSITIVE_INFINITY;
    }
    java.util.Arrays.sort(v, 0, n);
    return v[n / 2];
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
