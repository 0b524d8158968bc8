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
import dev.ssrl.tasks.image.RasterOpsTestSupport;
import dev.ssrl.tasks.synthetic.SyntheticScenes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code rotation} task: turning the sample's image back by the answer restores the centred
 * square of the source (checked pixel by pixel with index arithmetic written here), the image is
 * square whatever the answer, and near-symmetric content is rejected.
 */
class RotationTaskTest {
  private final RotationTask task = new RotationTask();

  private static double num(Object o) {
    return ((Number) o).doubleValue();
  }

  /** Checks a rotation sample against its source image. */
  static void checkSample(Raster src, Sample s) {
    assertEquals(1, s.answer().length(), s.answer());
    int turns = s.answer().charAt(0) - 'A';
    assertTrue(turns >= 0 && turns < 4, s.answer());
    Map<String, Object> meta = s.metadata();
    assertEquals(90 * turns, (int) num(meta.get("rotation")));
    int side = Math.min(src.width(), src.height());
    int left = (src.width() - side) / 2;
    int top = (src.height() - side) / 2;
    assertEquals(List.of(left, top, side, side), meta.get("square"));
    Raster out = s.images().get(0);
    assertEquals(side, out.width(), "square output");
    assertEquals(side, out.height(), "square output");
    long quarter = 0;
    long half = 0;
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        // Output (x, y) after t clockwise quarter turns shows square pixel (sx, sy).
        int sx = x;
        int sy = y;
        for (int t = 0; t < turns; t++) {
          // One clockwise turn: output (a, b) shows input (b, side - 1 - a).
          int nx = sy;
          int ny = side - 1 - sx;
          sx = nx;
          sy = ny;
        }
        assertEquals(src.rgbAt(left + sx, top + sy), out.rgbAt(x, y), "(" + x + "," + y + ")");
        int p = src.rgbAt(left + x, top + y);
        int q = src.rgbAt(left + (side - 1 - y), top + x); // the square turned counter-clockwise
        int h = src.rgbAt(left + side - 1 - x, top + side - 1 - y);
        for (int sh = 0; sh <= 16; sh += 8) {
          quarter += Math.abs((p >> sh & 0xFF) - (q >> sh & 0xFF));
          half += Math.abs((p >> sh & 0xFF) - (h >> sh & 0xFF));
        }
      }
    }
    double n = 3.0 * side * side;
    double symmetry = Math.min(quarter / n, half / n);
    assertEquals(Math.round(symmetry * 1000) / 1000.0, num(meta.get("symmetryDifference")), 0.0);
    assertTrue(symmetry >= num(meta.get("threshold")), "visible rotation " + symmetry);
    double difficulty = Math.min(1, 8 / num(meta.get("symmetryDifference")));
    assertEquals(Math.round(difficulty * 1000) / 1000.0, num(meta.get("difficulty")), 0.0);
    List<String> keys = List.copyOf(meta.keySet());
    assertEquals("difficulty", keys.get(keys.size() - 1));
  }

  @Test
  void turningTheImageBackRestoresTheCentredSquareOfRandomRasters() {
    qt().withExamples(40)
        .forAll(integers().between(64, 220), integers().between(64, 220), longs().all())
        .checkAssert(
            (w, h, seed) -> {
              Raster src = RasterOpsTestSupport.random(w, h, seed);
              Outcome o = task.generate(Scene.rgbOnly("r", src), seed);
              checkSample(src, assertInstanceOf(Sample.class, o));
            });
  }

  @Test
  void turningTheImageBackRestoresTheCentredSquareOfSyntheticScenes() {
    qt().withExamples(12)
        .forAll(integers().between(0, 10_000), longs().all())
        .checkAssert(
            (index, seed) -> {
              Scene scene = SyntheticScenes.scene(seed, index, 200, 150);
              Outcome o = task.generate(scene, seed);
              if (o instanceof Sample s) {
                checkSample(scene.rgb(), s);
              } else {
                assertEquals(RotationTask.SYMMETRIC, ((Rejection) o).reason());
              }
            });
  }

  @Test
  void everyRotationComesUpAndTheLetterFollowsIt() {
    Raster src = RasterOpsTestSupport.random(120, 90, 7);
    int[] count = new int[4];
    for (long seed = 0; seed < 400; seed++) {
      Sample s = assertInstanceOf(Sample.class, task.generate(Scene.rgbOnly("r", src), seed));
      count[s.answer().charAt(0) - 'A']++;
    }
    for (int c : count) {
      assertTrue(c > 60, java.util.Arrays.toString(count));
    }
  }

  @Test
  void nearSymmetricContentIsRejected() {
    // A radial pattern looks the same after every quarter turn.
    int s = 96;
    byte[] rgb = new byte[s * s * 3];
    for (int y = 0; y < s; y++) {
      for (int x = 0; x < s; x++) {
        double r = Math.hypot(x - (s - 1) / 2.0, y - (s - 1) / 2.0);
        byte v = (byte) ((int) (r * 9) & 0xFF);
        rgb[(y * s + x) * 3] = v;
        rgb[(y * s + x) * 3 + 1] = v;
        rgb[(y * s + x) * 3 + 2] = (byte) 40;
      }
    }
    Scene radial = Scene.rgbOnly("radial", Raster.of(s, s, rgb));
    assertEquals(
        RotationTask.SYMMETRIC,
        assertInstanceOf(Rejection.class, task.generate(radial, 1)).reason());
    // A horizontal band pattern looks the same after a half turn only: still rejected.
    for (int y = 0; y < s; y++) {
      for (int x = 0; x < s; x++) {
        byte v = (byte) (Math.abs(y - (s - 1) / 2.0) < 20 ? 200 : 30);
        rgb[(y * s + x) * 3] = v;
        rgb[(y * s + x) * 3 + 1] = v;
        rgb[(y * s + x) * 3 + 2] = v;
      }
    }
    assertEquals(
        RotationTask.SYMMETRIC,
        assertInstanceOf(
                Rejection.class, task.generate(Scene.rgbOnly("bands", Raster.of(s, s, rgb)), 1))
            .reason());
    assertEquals(
        RotationTask.TOO_SMALL,
        assertInstanceOf(
                Rejection.class, task.generate(Scene.rgbOnly("small", Raster.blank(63, 200)), 1))
            .reason());
    // The threshold is a parameter; 0 accepts anything, a bad value is refused by name.
    Sample any =
        assertInstanceOf(
            Sample.class,
            task.generate(
                radial,
                1,
                GenerationOptions.defaults().withParameters(Map.of("rotation.threshold", "0"))));
    assertEquals(1.0, num(any.metadata().get("difficulty")), 0.0);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                task.generate(
                    radial,
                    1,
                    GenerationOptions.defaults()
                        .withParameters(Map.of("rotation.threshold", "300"))));
    assertTrue(e.getMessage().contains("rotation.threshold"), e.getMessage());
  }

  @Test
  void bothProfilesWordTheQuestionWithOneImage() {
    Raster src = RasterOpsTestSupport.random(100, 80, 3);
    for (String profile : List.of("spatial-ssrl", "ssrl-plain")) {
      Sample s =
          assertInstanceOf(
              Sample.class,
              task.generate(
                  Scene.rgbOnly("r", src), 2, GenerationOptions.defaults().withProfile(profile)));
      assertEquals(1, s.problem().split("<image>", -1).length - 1, s.problem());
      assertTrue(s.problem().contains("270"), s.problem());
    }
  }
}
