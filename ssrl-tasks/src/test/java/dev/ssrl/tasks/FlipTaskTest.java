package dev.ssrl.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import dev.ssrl.tasks.image.Draw;
import dev.ssrl.tasks.image.RasterOpsTestSupport;
import dev.ssrl.tasks.image.Tiles;
import dev.ssrl.tasks.synthetic.SyntheticScenes;
import dev.ssrl.testsupport.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FlipTaskTest {
  private final FlipTask task = new FlipTask();

  /**
   * Checks a flip sample against its source: the named tile, flipped back, is the source tile; the
   * other tiles are the source tiles; the flip is visible. Decoration pixels are skipped.
   */
  static void assertFlipBackRestoresSource(Raster src, Sample s) {
    String[] parts = s.answer().split("-");
    assertEquals(2, parts.length);
    int t = Integer.parseInt(parts[0]);
    int d = Integer.parseInt(parts[1]);
    assertTrue(t >= 0 && t < 4 && (d == 0 || d == 1), s.answer());
    int tw = src.width() / 2;
    int th = src.height() / 2;
    Raster out = s.images().get(0);
    assertEquals(2 * tw, out.width());
    assertEquals(2 * th, out.height());
    long diff = 0;
    for (int tile = 0; tile < 4; tile++) {
      int x0 = (tile % 2) * tw;
      int y0 = (tile / 2) * th;
      for (int y = 0; y < th; y++) {
        for (int x = 0; x < tw; x++) {
          if (Tiles.isDecoration(tile, tw, th, x, y)) {
            continue;
          }
          int sx = x;
          int sy = y;
          if (tile == t) {
            // Output pixel (x, y) of the flipped tile shows source pixel (x', y').
            sx = d == 1 ? tw - 1 - x : x;
            sy = d == 0 ? th - 1 - y : y;
          }
          assertEquals(
              src.rgbAt(x0 + sx, y0 + sy),
              out.rgbAt(x0 + x, y0 + y),
              "tile " + tile + " at (" + x + "," + y + ")");
        }
      }
    }
    // The flip is visible: independent recomputation of the tile's difference to its flip.
    int x0 = (t % 2) * tw;
    int y0 = (t / 2) * th;
    for (int y = 0; y < th; y++) {
      for (int x = 0; x < tw; x++) {
        int a = src.rgbAt(x0 + x, y0 + y);
        int b = src.rgbAt(x0 + (d == 1 ? tw - 1 - x : x), y0 + (d == 0 ? th - 1 - y : y));
        for (int sh = 0; sh <= 16; sh += 8) {
          diff += Math.abs((a >> sh & 0xFF) - (b >> sh & 0xFF));
        }
      }
    }
    double mean = (double) diff / ((long) tw * th * 3);
    assertTrue(mean >= FlipTask.DEFAULT_THRESHOLD, "flip difference " + mean);
    assertEquals(mean, ((Number) s.metadata().get("difference")).doubleValue(), 1e-3);
    assertEquals(t, s.metadata().get("tile"));
    assertEquals(d, s.metadata().get("direction"));
  }

  @Test
  void flippingTheNamedTileBackRestoresRandomRasters() {
    qt().withExamples(60)
        .forAll(integers().between(64, 260), integers().between(64, 260), longs().all())
        .checkAssert(
            (w, h, seed) -> {
              Raster src = RasterOpsTestSupport.random(w, h, seed);
              Outcome o = task.generate(Scene.rgbOnly("r", src), seed);
              assertFlipBackRestoresSource(src, assertInstanceOf(Sample.class, o));
            });
  }

  @Test
  void flippingTheNamedTileBackRestoresSyntheticScenes() {
    qt().withExamples(12)
        .forAll(integers().between(0, 10_000), longs().all())
        .checkAssert(
            (index, seed) -> {
              Scene scene = SyntheticScenes.scene(seed, index, 200, 150);
              Outcome o = task.generate(scene, seed);
              assertFlipBackRestoresSource(scene.rgb(), assertInstanceOf(Sample.class, o));
            });
  }

  @Test
  void tilesThatLookTheSameFlippedAreNeverChosen() {
    // Left half uniform, right half a vertical gradient: only the right tiles flipped upside down
    // (direction 0) change; mirrored they look the same.
    int w = 128;
    int h = 128;
    byte[] d = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      Draw.fillRect(d, w, h, 0, y, 64, y + 1, 0x406080);
      Draw.fillRect(d, w, h, 64, y, 128, y + 1, (y % 64) * 4 * 0x010101);
    }
    Raster src = Raster.of(w, h, d);
    Set<String> answers = new HashSet<>();
    for (long seed = 0; seed < 40; seed++) {
      Sample s = (Sample) task.generate(Scene.rgbOnly("g", src), seed);
      answers.add(s.answer());
    }
    assertEquals(Set.of("1-0", "3-0"), answers);
  }

  @Test
  void aSceneWithNoVisibleFlipIsRejected() {
    Outcome o =
        task.generate(Scene.rgbOnly("u", RasterOpsTestSupport.uniform(120, 90, 0x88AACC)), 1);
    assertEquals("flip: no tile changes visibly when flipped", ((Rejection) o).reason());
    Outcome strict =
        task.generate(
            Scene.rgbOnly("r", RasterOpsTestSupport.random(120, 90, 1)),
            1,
            GenerationOptions.defaults().withParameters(Map.of("flip.threshold", "255")));
    assertEquals("flip: no tile changes visibly when flipped", ((Rejection) strict).reason());
  }

  @Test
  void tinyImagesAreRejected() {
    Outcome o = task.generate(Scene.rgbOnly("s", RasterOpsTestSupport.random(64, 63, 1)), 1);
    assertEquals("flip: image smaller than 64x64", ((Rejection) o).reason());
  }

  @Test
  void badThresholdIsRefusedNamingTheKey() {
    Scene scene = Scene.rgbOnly("s", RasterOpsTestSupport.random(100, 100, 1));
    for (String bad : List.of("-1", "256", "x")) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  task.generate(
                      scene,
                      1,
                      GenerationOptions.defaults().withParameters(Map.of("flip.threshold", bad))));
      assertTrue(e.getMessage().startsWith("flip.threshold"), e.getMessage());
    }
  }

  @Test
  void sameSeedGivesIdenticalSamplesAndAllAnswersOccur() {
    Scene scene = Scene.rgbOnly("r", RasterOpsTestSupport.random(160, 120, 11));
    assertEquals(task.generate(scene, 7), task.generate(scene, 7));
    Set<String> answers = new HashSet<>();
    for (long seed = 0; seed < 200; seed++) {
      answers.add(((Sample) task.generate(scene, seed)).answer());
    }
    assertEquals(8, answers.size(), answers.toString());
  }

  @Test
  void promptAsksForLabelAndDirection() {
    Sample s =
        (Sample) task.generate(Scene.rgbOnly("r", RasterOpsTestSupport.random(100, 100, 2)), 3);
    assertTrue(s.problem().startsWith("<image>"));
    assertTrue(s.problem().contains("Label-Direction"));
    assertTrue(s.problem().endsWith(GenerationOptions.DEFAULT_SUFFIX));
    assertEquals("r-flip-0", s.id());
  }

  @Test
  void realPhotographsGiveRestorableSamples() throws Exception {
    Path dir = SharedData.require("data/rgb");
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.toString().matches(".*\\.(jpg|png)")).sorted().toList();
    }
    assertTrue(files.size() >= 2);
    for (Path f : files) {
      Raster src = RasterOpsTestSupport.read(f);
      Outcome o = task.generate(Scene.rgbOnly(f.getFileName().toString(), src), 17);
      assertFlipBackRestoresSource(src, assertInstanceOf(Sample.class, o, f.toString()));
    }
  }
}
