package dev.ssrl.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ssrl.api.DepthMap;
import dev.ssrl.api.Scene;
import dev.ssrl.tasks.depth.DepthNormalizer;
import dev.ssrl.tasks.depth.WindowStats;
import dev.ssrl.tasks.scene.SceneFiles;
import dev.ssrl.tasks.scene.SceneFolder;
import dev.ssrl.testsupport.SharedData;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Invariant: for every normalised depth map and window size, the window-statistics core the kernels
 * run (window_stats_core.cuh compiled for the host) gives exactly what the CPU implementation
 * {@link WindowStats} gives — count, min, max and quantized sum equal, mean equal bit for bit — on
 * random raw maps whose invalid pixels are 0, NaN, ±Inf or masked out (made NaN by {@link
 * DepthNormalizer}, as the tasks do), on normalised maps with ties and signed zeros, and on the
 * real RGB-D maps of ../shared/data.
 */
class WindowStatsCrossCheckTest {

  @Test
  void randomRawMapsWithEveryKindOfInvalidPixelAgreeWithWindowStats() throws Exception {
    SplittableRandom rnd = new SplittableRandom(2026);
    int compared = 0;
    for (int trial = 0; trial < 30; trial++) {
      int w = 1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 120 : 40);
      int h = 1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 120 : 40);
      float[] normalised;
      if (rnd.nextBoolean()) {
        float[] raw = new float[w * h];
        byte[] mask = rnd.nextBoolean() ? new byte[w * h] : null;
        double invalid = new double[] {0, 0.05, 0.3, 0.9}[rnd.nextInt(4)];
        for (int i = 0; i < raw.length; i++) {
          double u = rnd.nextDouble();
          raw[i] =
              u < invalid
                  ? new float[] {0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}
                      [rnd.nextInt(4)]
                  : rnd.nextInt(3) == 0
                      ? 1 + rnd.nextInt(5)
                      : (float) (0.5 + 80 * rnd.nextDouble());
          if (mask != null) {
            mask[i] = (byte) (rnd.nextInt(10) == 0 ? 0 : 1);
          }
        }
        Optional<DepthNormalizer.Normalized> n =
            DepthNormalizer.normalize(DepthMap.of(w, h, raw, mask));
        if (n.isEmpty()) {
          continue; // too few valid pixels: the tasks reject such a scene before any window
        }
        normalised = n.get().values();
      } else {
        normalised =
            WindowReference.randomMap(rnd, w, h, new double[] {0, 0.1, 0.5, 1}[rnd.nextInt(4)]);
      }
      int[] ks = {1 + rnd.nextInt(Math.min(w, h)), Math.min(w, h), 11, 25};
      for (int k : ks) {
        if (k <= Math.min(w, h)) {
          assertSame(normalised, w, h, k, "trial " + trial + " " + w + "x" + h + " k=" + k);
          compared++;
        }
      }
    }
    assertEquals(true, compared > 40, "compared " + compared + " grids");
  }

  @ParameterizedTest
  @ValueSource(strings = {"megadepth-1", "diode-1"})
  void realDepthMapsAgreeWithWindowStatsAtTheTasksWindowSizes(String name) throws Exception {
    Path any =
        SharedData.require(
            "data/rgbd/" + (name.startsWith("diode") ? name + ".png" : name + ".jpg"));
    SceneFiles files =
        SceneFolder.scan(any.getParent()).stream()
            .filter(f -> f.id().equals(name))
            .findFirst()
            .orElseThrow();
    Scene scene = files.load();
    DepthNormalizer.Normalized n = DepthNormalizer.normalize(scene.depth()).orElseThrow();
    for (int k : new int[] {25, 15, 11}) {
      assertSame(n.values(), n.width(), n.height(), k, name + " k=" + k);
    }
  }

  static void assertSame(float[] map, int w, int h, int k, String what) throws Exception {
    WindowReference.Grid got =
        WindowReference.harnessOutput(
            HostHarness.run("window", WindowReference.harnessInput(List.of(map), w, h, k)),
            1,
            w,
            h,
            k)[0];
    assertSameAsWindowStats(WindowStats.compute(map, w, h, k), got, what);
  }

  /** Every window of {@code got} equals {@code want}'s, bit for bit. */
  static void assertSameAsWindowStats(WindowStats want, WindowReference.Grid got, String what) {
    int cols = want.columns();
    assertEquals(cols * want.rows(), got.count().length, what + ": window count");
    for (int y = 0; y < want.rows(); y++) {
      for (int x = 0; x < cols; x++) {
        int c = y * cols + x;
        if (want.count(x, y) != got.count()[c]
            || Float.floatToIntBits(want.min(x, y)) != Float.floatToIntBits(got.min()[c])
            || Float.floatToIntBits(want.max(x, y)) != Float.floatToIntBits(got.max()[c])
            || want.quantizedSum(x, y) != got.sum()[c]
            || Double.doubleToLongBits(want.mean(x, y)) != Double.doubleToLongBits(got.mean(c))) {
          throw new AssertionError(
              String.format(
                  "%s window (%d, %d): WindowStats count %d min %s max %s sum %d mean %s;"
                      + " core count %d min %s max %s sum %d mean %s",
                  what,
                  x,
                  y,
                  want.count(x, y),
                  want.min(x, y),
                  want.max(x, y),
                  want.quantizedSum(x, y),
                  want.mean(x, y),
                  got.count()[c],
                  got.min()[c],
                  got.max()[c],
                  got.sum()[c],
                  got.mean(c)));
        }
      }
    }
  }
}
