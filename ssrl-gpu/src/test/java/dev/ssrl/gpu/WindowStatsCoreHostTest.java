package dev.ssrl.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The two-pass window statistics of window_stats_core.cuh (what the window kernels run), compiled
 * for the host, equal a pixel-by-pixel brute force bit for bit: count, min, max and the quantized
 * sum (an integer, so the summation order cannot matter), hence the mean.
 */
class WindowStatsCoreHostTest {

  @Test
  void twoPassStatisticsEqualTheBruteForceBitForBit() throws Exception {
    SplittableRandom rnd = new SplittableRandom(42);
    for (int trial = 0; trial < 30; trial++) {
      int w = 1 + rnd.nextInt(40);
      int h = 1 + rnd.nextInt(40);
      int k = 1 + rnd.nextInt(Math.min(w, h));
      double nanRate = new double[] {0, 0.1, 0.5, 0.95, 1}[rnd.nextInt(5)];
      List<float[]> maps = new ArrayList<>();
      int count = 1 + rnd.nextInt(3);
      for (int m = 0; m < count; m++) {
        maps.add(WindowReference.randomMap(rnd, w, h, nanRate));
      }
      byte[] out = HostHarness.run("window", WindowReference.harnessInput(maps, w, h, k));
      WindowReference.Grid[] got = WindowReference.harnessOutput(out, count, w, h, k);
      for (int m = 0; m < count; m++) {
        assertSameGrid(
            WindowReference.bruteForce(maps.get(m), w, h, k),
            got[m],
            "trial " + trial + " map " + m + " " + w + "x" + h + " k=" + k);
      }
    }
  }

  @Test
  void aWindowWithoutValidPixelsHasCountZeroInfiniteExtremesAndANaNMean() throws Exception {
    float[] map = new float[5 * 5];
    java.util.Arrays.fill(map, Float.NaN);
    map[24] = 0.5f;
    byte[] out = HostHarness.run("window", WindowReference.harnessInput(List.of(map), 5, 5, 3));
    WindowReference.Grid g = WindowReference.harnessOutput(out, 1, 5, 5, 3)[0];
    assertEquals(0, g.count()[0]);
    assertEquals(Float.POSITIVE_INFINITY, g.min()[0]);
    assertEquals(Float.NEGATIVE_INFINITY, g.max()[0]);
    assertEquals(Double.NaN, g.mean(0));
    assertEquals(1, g.count()[8]);
    assertEquals(0.5f, g.min()[8]);
    assertEquals(0.5, g.mean(8));
  }

  static void assertSameGrid(WindowReference.Grid want, WindowReference.Grid got, String what) {
    for (int c = 0; c < want.count().length; c++) {
      String at = what + " window " + c;
      assertEquals(want.count()[c], got.count()[c], "count of " + at);
      assertEquals(
          Float.floatToIntBits(want.min()[c]), Float.floatToIntBits(got.min()[c]), "min of " + at);
      assertEquals(
          Float.floatToIntBits(want.max()[c]), Float.floatToIntBits(got.max()[c]), "max of " + at);
      assertEquals(want.sum()[c], got.sum()[c], "quantized sum of " + at);
      assertEquals(
          Double.doubleToLongBits(want.mean(c)),
          Double.doubleToLongBits(got.mean(c)),
          "mean of " + at);
    }
  }
}
