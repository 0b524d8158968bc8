package dev.ssrl.tasks.depth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssrl.api.GenerationOptions;
import dev.ssrl.api.Outcome;
import dev.ssrl.api.Sample;
import dev.ssrl.api.Scene;
import dev.ssrl.api.Task;
import dev.ssrl.tasks.DepthOrderingTask;
import dev.ssrl.tasks.RelativePositionTask;
import dev.ssrl.tasks.synthetic.SyntheticScenes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The window-statistics seam: the CPU unless enabled and a provider is usable, with the reason;
 * statistics rebuilt from per-window values ({@link WindowStats#fromWindows}, what an engine
 * returns) equal the computed ones; and the depth and position tasks give identical samples
 * whichever engine computes their statistics, also when an engine fails.
 */
class WindowStatsEnginesTest {

  /** An engine that computes on the CPU and hands the result back as per-window arrays. */
  static class PerWindowEngine implements WindowStatsEngine {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public String name() {
      return "per-window";
    }

    @Override
    public Optional<String> unavailableReason() {
      return Optional.empty();
    }

    @Override
    public WindowStats compute(float[] map, int width, int height, int k) {
      calls.incrementAndGet();
      return repack(WindowStats.compute(map, width, height, k));
    }
  }

  static WindowStats repack(WindowStats ws) {
    int n = ws.columns() * ws.rows();
    float[] min = new float[n];
    float[] max = new float[n];
    int[] count = new int[n];
    long[] sum = new long[n];
    for (int y = 0; y < ws.rows(); y++) {
      for (int x = 0; x < ws.columns(); x++) {
        int i = y * ws.columns() + x;
        min[i] = ws.min(x, y);
        max[i] = ws.max(x, y);
        count[i] = ws.count(x, y);
        sum[i] = ws.quantizedSum(x, y);
      }
    }
    return WindowStats.fromWindows(ws.width(), ws.height(), ws.k(), min, max, count, sum);
  }

  @Test
  void theCpuIsTheDefaultAndAnEnabledEngineWithoutProviderIsDeclinedWithTheReason() {
    GenerationOptions defaults = GenerationOptions.defaults();
    assertSame(WindowStatsEngines.CPU, WindowStatsEngines.forOptions(defaults));
    assertEquals("cpu (ssrl.gpu is not enabled)", WindowStatsEngines.describe(defaults));
    GenerationOptions on = defaults.withParameters(Map.of("ssrl.gpu", "true"));
    // ssrl-tasks alone has no provider on its class path.
    assertSame(WindowStatsEngines.CPU, WindowStatsEngines.forOptions(on));
    String why = WindowStatsEngines.describe(on);
    assertTrue(why.startsWith("cpu (ssrl.gpu=true but no WindowStatsEngine provider"), why);
  }

  @Test
  void aMalformedSwitchIsRefusedByName() {
    GenerationOptions bad = GenerationOptions.defaults().withParameters(Map.of("ssrl.gpu", "yes"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> WindowStatsEngines.describe(bad));
    assertTrue(e.getMessage().contains("ssrl.gpu"), e.getMessage());
  }

  @Test
  void statisticsFromPerWindowValuesEqualTheComputedOnes() {
    SplittableRandom rnd = new SplittableRandom(3);
    for (int trial = 0; trial < 40; trial++) {
      int w = 1 + rnd.nextInt(50);
      int h = 1 + rnd.nextInt(50);
      int k = 1 + rnd.nextInt(Math.max(w, h) + 2); // larger than a side: zero windows
      float[] map = new float[w * h];
      for (int i = 0; i < map.length; i++) {
        map[i] = rnd.nextInt(5) == 0 ? Float.NaN : rnd.nextInt(9) / 8f;
      }
      WindowStats a = WindowStats.compute(map, w, h, k);
      WindowStats b = repack(a);
      assertEquals(a.columns(), b.columns());
      assertEquals(a.rows(), b.rows());
      for (int y = 0; y < a.rows(); y++) {
        for (int x = 0; x < a.columns(); x++) {
          assertEquals(a.count(x, y), b.count(x, y));
          assertEquals(a.countAt(x, y), b.countAt(x, y));
          assertEquals(a.fullyValid(x, y), b.fullyValid(x, y));
          assertEquals(a.quantizedSum(x, y), b.quantizedSum(x, y));
          assertEquals(
              Double.doubleToLongBits(a.mean(x, y)), Double.doubleToLongBits(b.mean(x, y)));
          assertEquals(Float.floatToIntBits(a.min(x, y)), Float.floatToIntBits(b.min(x, y)));
          assertEquals(Float.floatToIntBits(a.max(x, y)), Float.floatToIntBits(b.max(x, y)));
        }
      }
    }
    assertThrows(
        IllegalArgumentException.class,
        () ->
            WindowStats.fromWindows(5, 5, 3, new float[8], new float[9], new int[9], new long[9]));
  }

  @Test
  void depthAndPositionSamplesAreIdenticalWithAnotherEngineAndWhenItFails() {
    PerWindowEngine engine = new PerWindowEngine();
    WindowStatsEngine failing =
        new PerWindowEngine() {
          @Override
          public WindowStats compute(float[] map, int width, int height, int k) {
            calls.incrementAndGet();
            throw new IllegalStateException("device lost");
          }
        };
    List<Scene> scenes = SyntheticScenes.builtIn(3);
    int samples = 0;
    for (Scene scene : scenes) {
      for (long seed = 0; seed < 3; seed++) {
        Task[][] variants = {
          {new DepthOrderingTask(), new DepthOrderingTask(engine), new DepthOrderingTask(failing)},
          {
            new RelativePositionTask(),
            new RelativePositionTask(engine),
            new RelativePositionTask(failing)
          }
        };
        for (Task[] v : variants) {
          Outcome cpu = v[0].generate(scene, seed);
          assertEquals(cpu, v[1].generate(scene, seed), v[0].id() + " " + scene.id() + " " + seed);
          assertEquals(cpu, v[2].generate(scene, seed), v[0].id() + " " + scene.id() + " " + seed);
          if (cpu instanceof Sample) {
            samples++;
          }
        }
      }
    }
    assertTrue(samples >= 6, samples + " samples");
    assertTrue(engine.calls.get() >= 18, engine.calls + " engine calls");
  }
}
