package dev.ssrl.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ssrl.api.GenerationOptions;
import dev.ssrl.api.Outcome;
import dev.ssrl.api.Raster;
import dev.ssrl.api.Rejection;
import dev.ssrl.api.Sample;
import dev.ssrl.api.Scene;
import dev.ssrl.tasks.image.RasterOpsTestSupport;
import dev.ssrl.tasks.image.Tiles;
import dev.ssrl.tasks.synthetic.SyntheticScenes;
import dev.ssrl.testsupport.SharedData;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShuffleTaskTest {
  private final ShuffleTask task = new ShuffleTask();

  private static GenerationOptions params(String... kv) {
    Map<String, String> m = new java.util.TreeMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return GenerationOptions.defaults().withParameters(m);
  }

  /** Checks the invariants of a shuffle sample against the scene it came from. */
  static void assertRestoresSource(Raster src, Sample s) {
    Map<String, Object> m = s.metadata();
    int cols = (Integer) m.get("cols");
    int rows = (Integer) m.get("rows");
    int tw = (Integer) m.get("tileWidth");
    int th = (Integer) m.get("tileHeight");
    int k = cols * rows;
    assertEquals(src.width() / cols, tw);
    assertEquals(src.height() / rows, th);
    int[] labelOf = Arrays.stream(s.answer().split("-")).mapToInt(Integer::parseInt).toArray();
    assertEquals(k, labelOf.length);
    assertEquals(
        k, Arrays.stream(labelOf).distinct().filter(v -> v >= 0 && v < k).count(), "permutation");
    boolean identity = true;
    for (int i = 0; i < k; i++) {
      identity &= labelOf[i] == i;
    }
    assertFalse(identity, "the identity permutation is never asked");
    Raster out = s.images().get(0);
    assertEquals(cols * tw, out.width());
    assertEquals(rows * th, out.height());
    Object maskedLabel = m.get("maskedLabel");
    for (int i = 0; i < k; i++) {
      int label = labelOf[i];
      int sx = (i % cols) * tw;
      int sy = (i / cols) * th;
      int ox = (label % cols) * tw;
      int oy = (label / cols) * th;
      boolean masked = Integer.valueOf(label).equals(maskedLabel);
      for (int y = 0; y < th; y++) {
        for (int x = 0; x < tw; x++) {
          if (Tiles.isDecoration(label, tw, th, x, y)) {
            continue;
          }
          int expected = masked ? 0xFFFFFF : src.rgbAt(sx + x, sy + y);
          if (expected != out.rgbAt(ox + x, oy + y)) {
            throw new AssertionError(
                "original tile "
                    + i
                    + " shown as label "
                    + label
                    + " differs at ("
                    + x
                    + ","
                    + y
                    + ")");
          }
        }
      }
    }
  }

  @Test
  void reassemblingTilesInAnswerOrderRestoresTheSourceOnRandomRasters() {
    qt().withExamples(60)
        .forAll(integers().between(64, 260), integers().between(64, 260), longs().all())
        .checkAssert(
            (w, h, seed) -> {
              Raster src = RasterOpsTestSupport.random(w, h, seed);
              Outcome o =
                  task.generate(
                      Scene.rgbOnly("r", src),
                      seed,
                      params("shuffle.grids", "2x2,1x3,3x1,1x4,4x1,3x3,2x3,4x4,3x4"));
              if (o instanceof Rejection r) {
                assertTrue(r.reason().startsWith("shuffle: image too small for grid "), r.reason());
                return;
              }
              assertRestoresSource(src, (Sample) o);
            });
  }

  @Test
  void reassemblingTilesRestoresSyntheticScenes() {
    qt().withExamples(12)
        .forAll(integers().between(0, 10_000), longs().all())
        .checkAssert(
            (index, seed) -> {
              Scene scene = SyntheticScenes.scene(seed, index, 200, 150);
              Outcome o = task.generate(scene, seed, params("shuffle.grids", "2x2,1x3,3x1"));
              assertRestoresSource(scene.rgb(), assertInstanceOf(Sample.class, o));
            });
  }

  @Test
  void theMaskedTileIsWhiteApartFromItsBorderAndLabel() {
    Raster src = RasterOpsTestSupport.random(200, 160, 3);
    for (long seed = 0; seed < 10; seed++) {
      Sample s =
          (Sample) task.generate(Scene.rgbOnly("r", src), seed, params("shuffle.masked", "1"));
      assertEquals(true, s.metadata().get("masked"));
      assertTrue(s.problem().contains("masked completely by white pixels"), s.problem());
      assertRestoresSource(src, s);
      Sample plain =
          (Sample) task.generate(Scene.rgbOnly("r", src), seed, params("shuffle.masked", "0"));
      assertEquals(false, plain.metadata().get("masked"));
      assertFalse(plain.problem().contains("masked completely by white pixels"));
      // Masking changes nothing else: same grid and permutation.
      assertEquals(s.answer(), plain.answer());
    }
  }

  @Test
  void everyDefaultGridIsUsedAndNamedInThePrompt() {
    Raster src = RasterOpsTestSupport.random(320, 320, 9);
    Map<String, String> formats =
        Map.of(
            "2x2", "TopLeft-TopRight-BottomLeft-BottomRight",
            "1x3", "Top-Middle-Bottom",
            "1x4", "Top-Middle1-Middle2-Bottom",
            "3x1", "Left-Middle-Right",
            "4x1", "Left-Middle1-Middle2-Right");
    Set<String> seen = new HashSet<>();
    for (long seed = 0; seed < 60; seed++) {
      Sample s = (Sample) task.generate(Scene.rgbOnly("r", src), seed);
      String grid = (String) s.metadata().get("grid");
      seen.add(grid);
      assertTrue(s.problem().contains(formats.get(grid)), s.problem());
      assertTrue(s.problem().endsWith(GenerationOptions.DEFAULT_SUFFIX));
      assertTrue(s.problem().startsWith("<image>"));
    }
    assertEquals(formats.keySet(), seen);
  }

  @Test
  void positionNamesOfLargerGridsAreRowMajor() {
    assertEquals(
        List.of(
            "TopLeft",
            "TopMiddle",
            "TopRight",
            "MiddleLeft",
            "Center",
            "MiddleRight",
            "BottomLeft",
            "BottomMiddle",
            "BottomRight"),
        Tiles.Grid.parse("3x3").positionNames());
    assertEquals(
        List.of("TopLeft", "TopRight", "MiddleLeft", "MiddleRight", "BottomLeft", "BottomRight"),
        Tiles.Grid.parse("2x3").positionNames());
  }

  @Test
  void sameSeedGivesIdenticalSamplesAndSeedsDiffer() {
    Scene scene = SyntheticScenes.scene(5, 1, 240, 180);
    Sample a = (Sample) task.generate(scene, 42);
    Sample b = (Sample) task.generate(scene, 42);
    assertEquals(a, b);
    Set<String> outcomes = new HashSet<>();
    for (long seed = 0; seed < 20; seed++) {
      Sample s = (Sample) task.generate(scene, seed);
      outcomes.add(s.metadata().get("grid") + "/" + s.answer() + "/" + s.metadata().get("masked"));
    }
    assertTrue(outcomes.size() > 5, outcomes.toString());
  }

  @Test
  void idAndTaskFollowTheSceneAndVariant() {
    Scene scene = Scene.rgbOnly("scene-x", RasterOpsTestSupport.random(100, 100, 1));
    Sample s = (Sample) task.generate(scene, 1, GenerationOptions.defaults().withVariant(3));
    assertEquals("scene-x-shuffle-3", s.id());
    assertEquals("shuffle", s.taskId());
    assertEquals("scene-x", s.sceneId());
    Sample noSuffix = (Sample) task.generate(scene, 1, GenerationOptions.defaults().withSuffix(""));
    assertFalse(noSuffix.problem().endsWith(" "));
    assertFalse(noSuffix.problem().contains("<think>"));
  }

  @Test
  void tinyImagesAndTooFineGridsAreRejectedWithNamedReasons() {
    Outcome small = task.generate(Scene.rgbOnly("s", RasterOpsTestSupport.random(63, 100, 1)), 1);
    assertEquals("shuffle: image smaller than 64x64", ((Rejection) small).reason());
    Outcome fine =
        task.generate(
            Scene.rgbOnly("s", RasterOpsTestSupport.random(100, 100, 1)),
            1,
            params("shuffle.grids", "4x1"));
    assertEquals("shuffle: image too small for grid 4x1", ((Rejection) fine).reason());
  }

  @Test
  void badParametersAreRefusedNamingTheKey() {
    Scene scene = Scene.rgbOnly("s", RasterOpsTestSupport.random(100, 100, 1));
    for (String bad : List.of("", "2x", "x2", "1x1", "9x1", "2by2", "2x2,")) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> task.generate(scene, 1, params("shuffle.grids", bad)));
      assertTrue(e.getMessage().startsWith("shuffle.grids"), e.getMessage());
    }
    for (String bad : List.of("-0.1", "1.5", "often")) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> task.generate(scene, 1, params("shuffle.masked", bad)));
      assertTrue(e.getMessage().startsWith("shuffle.masked"), e.getMessage());
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> task.generate(scene, 1, params("shuffle.allowIdentity", "maybe")));
  }

  @Test
  void exampleAnswersAreFixedNonIdentityPermutations() {
    assertEquals("1-0", ShuffleTask.example(2));
    assertEquals("0-2-1", ShuffleTask.example(3));
    assertEquals("0-2-3-1", ShuffleTask.example(4));
    assertNotEquals("0-1-2-3-4", ShuffleTask.example(5));
  }

  @Test
  void realPhotographRestores() throws Exception {
    Raster src = RasterOpsTestSupport.read(SharedData.require("data/rgb/scene-1.png"));
    for (long seed = 0; seed < 4; seed++) {
      Sample s =
          (Sample)
              task.generate(Scene.rgbOnly("scene-1", src), seed, params("shuffle.masked", "0.5"));
      assertRestoresSource(src, s);
    }
  }
}
