package dev.ssrl.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ssrl.api.GenerationOptions;
import dev.ssrl.api.Raster;
import dev.ssrl.api.Sample;
import dev.ssrl.api.Scene;
import dev.ssrl.tasks.image.RasterOpsTestSupport;
import dev.ssrl.tasks.synthetic.SyntheticScenes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Larger jigsaws, the size ladder and the seam difficulty of {@link ShuffleTask}. */
class ShuffleCurriculumTest {
  private final ShuffleTask task = new ShuffleTask();

  private static GenerationOptions params(String... kv) {
    Map<String, String> m = new TreeMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return GenerationOptions.defaults().withParameters(m);
  }

  @Test
  void fourByFourSamplesRestoreTheSourceAndLabelSixteenPieces() {
    qt().withExamples(20)
        .forAll(integers().between(0, 10_000), longs().all())
        .checkAssert(
            (index, seed) -> {
              Scene scene = SyntheticScenes.scene(seed, index, 320, 240);
              Sample s = (Sample) task.generate(scene, seed, params("shuffle.grids", "4x4"));
              ShuffleTaskTest.assertRestoresSource(scene.rgb(), s);
              assertEquals("4x4", s.metadata().get("grid"));
              assertTrue(s.problem().contains("labeled 0, 1, 2,"), s.problem());
              assertTrue(s.problem().contains("13, 14, and 15."), s.problem());
            });
  }

  @Test
  void theLadderGivesVariantsTheGridsInOrderRepeatedByWeight() {
    Scene scene = Scene.rgbOnly("r", RasterOpsTestSupport.random(320, 240, 7));
    List<String> got = new ArrayList<>();
    for (int v = 0; v < 7; v++) {
      Sample s =
          (Sample)
              task.generate(
                  scene,
                  11 + v,
                  params("shuffle.grids", "2x2:2,3x3,4x4:0,2x3", "shuffle.curriculum", "ladder")
                      .withVariant(v));
      got.add((String) s.metadata().get("grid"));
    }
    assertEquals(List.of("2x2", "2x2", "3x3", "2x3", "2x2", "2x2", "3x3"), got);
  }

  /** The ladder changes only the grid: with one grid listed, it is the same sample as a draw. */
  @Test
  void theLadderDrawsEverythingElseAsTheDefaultDoes() {
    Scene scene = Scene.rgbOnly("r", RasterOpsTestSupport.random(200, 160, 9));
    for (long seed = 0; seed < 5; seed++) {
      Sample drawn = (Sample) task.generate(scene, seed, params("shuffle.grids", "3x3"));
      Sample ladder =
          (Sample)
              task.generate(
                  scene, seed, params("shuffle.grids", "3x3", "shuffle.curriculum", "ladder"));
      assertEquals(drawn.answer(), ladder.answer());
      assertEquals(drawn.metadata(), ladder.metadata());
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> task.generate(scene, 1, params("shuffle.curriculum", "stairs")));
    assertTrue(
        e.getMessage().startsWith("shuffle.curriculum must be draw or ladder"), e.getMessage());
  }

  /**
   * A flat image has no seam evidence: every pair ambiguity is 0.5, so difficulty is (ln K / ln 64
   * + 0.5) / 2, computed here from the documented formula.
   */
  @Test
  void aFlatImageIsAsAmbiguousAsItGets() {
    byte[] grey = new byte[256 * 192 * 3];
    java.util.Arrays.fill(grey, (byte) 120);
    Scene scene = Scene.rgbOnly("flat", Raster.of(256, 192, grey));
    for (String grid : new String[] {"2x2", "3x1", "4x4", "3x4"}) {
      Sample s = (Sample) task.generate(scene, 5, params("shuffle.grids", grid));
      int k = (Integer) s.metadata().get("cols") * (Integer) s.metadata().get("rows");
      assertEquals(0.5, s.metadata().get("seamAmbiguity"), grid);
      double expected = Math.round((Math.log(k) / Math.log(64) + 0.5) / 2 * 1000) / 1000.0;
      assertEquals(expected, s.metadata().get("difficulty"), grid);
    }
  }

  /**
   * A smooth two-way gradient continues across every true seam and jumps across every wrong one:
   * the true seam always fits far better, so ambiguity is near 0, and more pieces are harder.
   */
  @Test
  void aSmoothGradientHasClearSeamsAndSizeRaisesDifficulty() {
    int w = 256;
    int h = 256;
    byte[] px = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        px[(y * w + x) * 3] = (byte) x;
        px[(y * w + x) * 3 + 1] = (byte) y;
        px[(y * w + x) * 3 + 2] = (byte) ((x + y) / 2);
      }
    }
    Scene scene = Scene.rgbOnly("gradient", Raster.of(w, h, px));
    double previous = -1;
    for (String grid : new String[] {"2x1", "2x2", "3x3", "4x4"}) {
      Sample s =
          (Sample) task.generate(scene, 3, params("shuffle.grids", grid, "shuffle.masked", "0"));
      double ambiguity = (Double) s.metadata().get("seamAmbiguity");
      assertTrue(ambiguity < 0.1, grid + ": " + ambiguity);
      double difficulty = (Double) s.metadata().get("difficulty");
      assertTrue(difficulty > previous, grid + ": " + difficulty + " after " + previous);
      previous = difficulty;
    }
  }

  @Test
  void difficultyIsInRangeAndComesLast() {
    qt().withExamples(30)
        .forAll(integers().between(64, 300), integers().between(64, 300), longs().all())
        .checkAssert(
            (w, h, seed) -> {
              Raster src = RasterOpsTestSupport.random(w, h, seed);
              Object o =
                  task.generate(Scene.rgbOnly("r", src), seed, params("shuffle.grids", "2x2,2x1"));
              Map<String, Object> m = ((Sample) o).metadata();
              List<String> keys = new ArrayList<>(m.keySet());
              assertEquals("difficulty", keys.get(keys.size() - 1));
              assertEquals("seamAmbiguity", keys.get(keys.size() - 2));
              double d = (Double) m.get("difficulty");
              assertTrue(d >= 0 && d <= 1, "difficulty " + d);
              double a = (Double) m.get("seamAmbiguity");
              assertTrue(a >= 0 && a <= 1, "ambiguity " + a);
            });
  }

  /**
   * seamAmbiguity and difficulty re-derive from the scene and the metadata alone: recomputed here
   * on (x, y) coordinates straight from the documented definition.
   */
  @Test
  void difficultyReDerivesFromTheSceneAndMetadata() {
    qt().withExamples(15)
        .forAll(integers().between(0, 10_000), longs().all())
        .checkAssert(
            (index, seed) -> {
              Scene scene = SyntheticScenes.scene(seed, index, 320, 240);
              Sample s =
                  (Sample)
                      task.generate(
                          scene, seed, params("shuffle.grids", "2x2,1x3,4x1,2x3,3x3,4x4"));
              Map<String, Object> m = s.metadata();
              int cols = (Integer) m.get("cols");
              int rows = (Integer) m.get("rows");
              int tw = (Integer) m.get("tileWidth");
              int th = (Integer) m.get("tileHeight");
              int bw = (Integer) m.get("borderWidth");
              @SuppressWarnings("unchecked")
              List<Integer> sourceOfLabel = (List<Integer>) m.get("sourceOfLabel");
              Integer maskedLabel = (Integer) m.get("maskedLabel");
              int masked = maskedLabel == null ? -1 : sourceOfLabel.get(maskedLabel);
              int k = cols * rows;
              double sum = 0;
              int pairs = 0;
              for (int a = 0; a < k; a++) {
                for (int dir = 0; dir < 2; dir++) {
                  boolean right = dir == 0;
                  int b = right ? a + 1 : a + cols;
                  if (right ? a % cols == cols - 1 : b >= k) {
                    continue;
                  }
                  pairs++;
                  if (a == masked || b == masked) {
                    sum += 0.5;
                    continue;
                  }
                  double t = cost(scene.rgb(), cols, tw, th, bw, a, b, right);
                  double w = cost(scene.rgb(), cols, tw, th, bw, b, a, right);
                  for (int o = 0; o < k; o++) {
                    if (o != a && o != b) {
                      w = Math.min(w, cost(scene.rgb(), cols, tw, th, bw, a, o, right));
                      w = Math.min(w, cost(scene.rgb(), cols, tw, th, bw, o, b, right));
                    }
                  }
                  sum += t + w == 0 ? 0.5 : t / (t + w);
                }
              }
              double ambiguity = Math.round(sum / pairs * 1000) / 1000.0;
              assertEquals(ambiguity, m.get("seamAmbiguity"));
              assertEquals(
                  Math.round((Math.log(k) / Math.log(64) + ambiguity) / 2 * 1000) / 1000.0,
                  m.get("difficulty"));
            });
  }

  /** Mean |difference| / 255 across the seam between tiles a and b, just inside the border. */
  private static double cost(
      Raster img, int cols, int tw, int th, int bw, int a, int b, boolean right) {
    int n = right ? th : tw;
    long total = 0;
    for (int i = 0; i < n; i++) {
      int p =
          right
              ? img.rgbAt((a % cols) * tw + tw - 1 - bw, (a / cols) * th + i)
              : img.rgbAt((a % cols) * tw + i, (a / cols) * th + th - 1 - bw);
      int q =
          right
              ? img.rgbAt((b % cols) * tw + bw, (b / cols) * th + i)
              : img.rgbAt((b % cols) * tw + i, (b / cols) * th + bw);
      for (int shift = 0; shift <= 16; shift += 8) {
        total += Math.abs(((p >> shift) & 0xFF) - ((q >> shift) & 0xFF));
      }
    }
    return total / (255.0 * 3 * n);
  }
}
