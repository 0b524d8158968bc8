package dev.ssrl.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.ssrl.api.GenerationOptions;
import dev.ssrl.api.Outcome;
import dev.ssrl.api.Raster;
import dev.ssrl.api.Rejection;
import dev.ssrl.api.Sample;
import dev.ssrl.api.Scene;
import dev.ssrl.api.Task;
import dev.ssrl.tasks.synthetic.SyntheticScenes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SizingTest {
  private static final List<Task> TASKS =
      List.of(
          new ShuffleTask(),
          new FlipTask(),
          new CropTask(),
          new DepthOrderingTask(),
          new RelativePositionTask());

  /**
   * For scenes of SPEC sizes (64 px and more a side), the fitted size lies in the range, keeps the
   * aspect ratio and leaves in-range sizes alone.
   */
  @Test
  void fittedSizeLiesInTheRange() {
    qt().forAll(
            integers().between(64, 9000),
            integers().between(64, 9000),
            integers().between(0, 2_000_000),
            integers().between(0, 3_000_000))
        .assuming((w, h, min, extra) -> Math.max(w, h) / Math.min(w, h) <= 50)
        .checkAssert(
            (w, h, min, extra) -> {
              long max = (long) min + 4096 + extra; // a range that holds a 64 x 64 scene
              Sizing s = new Sizing(min, max, 0);
              int[] f = s.fittedSize(w, h);
              long area = (long) f[0] * f[1];
              String at = w + "x" + h + " in [" + min + "," + max + "] -> " + f[0] + "x" + f[1];
              assertTrue(area <= max, at);
              long source = (long) w * h;
              if (source >= min && source <= max) {
                assertArrayEquals(new int[] {w, h}, f, at);
              }
              // The minimum holds unless reaching it by whole pixels would pass the maximum.
              if (source < min && area < min) {
                int[] up = Sizing.grown(w, h, min);
                assertTrue((long) up[0] * up[1] > max, at);
              }
              if (area < min) {
                assertTrue(source < min || source > max, at);
              }
              // Aspect ratio: each side is the side times the nominal factor, within a pixel.
              boolean down = source > max || (source < min && area < min);
              double k =
                  down
                      ? Math.sqrt((double) max / source)
                      : source < min ? Math.sqrt((double) min / source) : 1;
              assertTrue(Math.abs(f[0] - w * k) < 1.01 && Math.abs(f[1] - h * k) < 1.01, at);
            });
  }

  @Test
  void defaultsAreEasyR1sAndValuesAreChecked() {
    assertEquals(new Sizing(262_144, 4_194_304, 4096), Sizing.EASYR1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Sizing(10, 5, 0));
    assertEquals("--min-pixels (10) must not exceed --max-pixels (5)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Sizing(0, 0, -1));
    assertTrue(e.getMessage().startsWith("--max-prompt-tokens must be >= 0"), e.getMessage());
    // 0 is no limit: a 20 MP scene stays as it is, a tiny one is still enlarged.
    assertArrayEquals(new int[] {5000, 4000}, new Sizing(100, 0, 0).fittedSize(5000, 4000));
    assertArrayEquals(new int[] {10, 10}, new Sizing(100, 0, 0).fittedSize(5, 5));
  }

  @Test
  void aSceneInRangeIsUsedAsItIs() {
    Scene s = SyntheticScenes.scene(1, 0, 640, 480);
    assertSame(s, Sizing.EASYR1.fit(s).scene());
    Scene big = SyntheticScenes.scene(1, 0, 640, 480);
    Sizing small = new Sizing(10_000, 100_000, 0);
    Scene a = small.fit(big).scene();
    Scene b = small.fit(big).scene();
    assertEquals(a.rgb(), b.rgb());
    assertEquals(a.depth(), b.depth());
    assertTrue((long) a.rgb().width() * a.rgb().height() <= 100_000);
  }

  /**
   * For random scene sizes and ranges, every image of every task lies at or under the maximum, the
   * scene the tasks ran on lies in the range, and the first (full-frame) image keeps the fitted
   * scene's size up to the 3 px a 4-part grid can cut off.
   */
  @Test
  void everyProducedImageIsWithinTheRange() {
    qt().withExamples(12)
        .forAll(
            integers().between(64, 900),
            integers().between(64, 900),
            integers().between(10_000, 60_000),
            integers().between(0, 100_000))
        .checkAssert(
            (w, h, min, extra) -> {
              long max = (long) min + 20_000 + extra;
              Sizing sizing = new Sizing(min, max, 0);
              Scene source = SyntheticScenes.scene(7, w + h, w, h);
              Sizing.Fitted fitted = sizing.fit(source);
              Scene scene = fitted.scene();
              long area = (long) scene.rgb().width() * scene.rgb().height();
              String at = w + "x" + h + " [" + min + "," + max + "]";
              assertTrue(area >= min && area <= max, at + " scene " + area);
              assertEquals(scene.rgb().width(), scene.depth().width(), at);
              for (Task t : TASKS) {
                Outcome o = fitted.generate(t, 11, GenerationOptions.defaults());
                if (o instanceof Sample s) {
                  for (Raster r : s.images()) {
                    assertTrue((long) r.width() * r.height() <= max, at + " " + t.id());
                  }
                  Raster first = s.images().get(0);
                  assertTrue(first.width() >= scene.rgb().width() - 3, at + " " + t.id());
                  assertTrue(first.height() >= scene.rgb().height() - 3, at + " " + t.id());
                }
              }
            });
  }

  /**
   * With a tight budget every kept sample's recorded estimate is the estimator's and within the
   * budget; every other outcome is the task's own rejection or the named budget rejection.
   */
  @Test
  void keptSamplesAreWithinTheBudgetAndTheRestAreNamed() {
    qt().withExamples(10)
        .forAll(
            integers().between(200, 1200),
            integers().between(200, 1000),
            integers().between(300, 2500))
        .checkAssert(
            (w, h, budget) -> {
              Sizing sizing = new Sizing(20_000, 4_194_304, budget);
              Sizing.Fitted fitted = sizing.fit(SyntheticScenes.scene(3, w * h, w, h));
              for (Task t : TASKS) {
                Outcome o = fitted.generate(t, 5, GenerationOptions.defaults());
                if (o instanceof Sample s) {
                  int recorded = (Integer) s.metadata().get(Sizing.TOKENS_KEY);
                  assertEquals(sizing.tokens().estimate(s), recorded);
                  assertTrue(recorded <= budget, t.id() + " " + recorded + " > " + budget);
                } else {
                  String reason = ((Rejection) o).reason();
                  assertTrue(reason.startsWith(t.id() + ": "), reason);
                }
              }
            });
  }

  /**
   * A sample over the budget is made again from a smaller scene: the result is exactly the task's
   * sample on the scene scaled to the recorded size, so its metadata still re-derives it.
   */
  @Test
  void aSampleOverTheBudgetIsRemadeFromASmallerScene() {
    Scene source = SyntheticScenes.scene(5, 2, 1600, 1200);
    Task shuffle = new ShuffleTask();
    GenerationOptions o = GenerationOptions.defaults();
    int full = Sizing.EASYR1.tokens().estimate((Sample) shuffle.generate(source, 9, o));
    int budget = full * 2 / 3;
    Sizing sizing = new Sizing(262_144, 4_194_304, budget);
    Sample s = assertInstanceOf(Sample.class, sizing.fit(source).generate(shuffle, 9, o));
    assertTrue((Integer) s.metadata().get(Sizing.TOKENS_KEY) <= budget);
    @SuppressWarnings("unchecked")
    Map<String, Object> resize = (Map<String, Object>) s.metadata().get(Sizing.RESIZE_KEY);
    assertNotNull(resize, "the scaling is recorded");
    assertEquals(List.of(1600, 1200), resize.get("from"));
    @SuppressWarnings("unchecked")
    List<Integer> to = (List<Integer>) resize.get("to");
    assertTrue(to.get(0) < 1600 && to.get(1) < 1200, to.toString());
    Sample direct = (Sample) shuffle.generate(Sizing.scaled(source, to.get(0), to.get(1)), 9, o);
    assertEquals(direct.answer(), s.answer());
    assertEquals(direct.images(), s.images());
    assertEquals(direct.problem(), s.problem());
  }

  /** A sample that cannot shrink under the budget (its text alone is over) is rejected by name. */
  @Test
  void aSampleThatCannotFitIsRejectedWithTheNamedReason() {
    Scene source = SyntheticScenes.scene(5, 2, 640, 480);
    Sizing sizing = new Sizing(262_144, 4_194_304, 100);
    for (Task t : TASKS) {
      Outcome o = sizing.fit(source).generate(t, 1, GenerationOptions.defaults());
      Rejection r = assertInstanceOf(Rejection.class, o, t.id());
      assertEquals(t.id() + ": " + Sizing.OVER_BUDGET, r.reason());
    }
    // No budget: never rejected for size, the estimate still recorded.
    Outcome o =
        new Sizing(0, 0, 0).fit(source).generate(new FlipTask(), 1, GenerationOptions.defaults());
    Sample s = assertInstanceOf(Sample.class, o);
    assertTrue((Integer) s.metadata().get(Sizing.TOKENS_KEY) > 100);
    assertFalse(s.metadata().containsKey(Sizing.RESIZE_KEY));
  }
}
