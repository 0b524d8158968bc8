package dev.ssrl.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The window kernels on a real GPU equal the pixel-by-pixel brute force and
 * dev.ssrl.tasks.depth.WindowStats bit for bit (count, min, max, quantized sum, mean), and refuse
 * values outside [0, 1] as the CPU does; skipped, with the reason, where no GPU is usable.
 */
class GpuWindowStatsTest {
  private static GpuContext context;
  private static GpuWindowStats stats;

  @BeforeAll
  static void open() {
    Assumptions.assumeTrue(GpuContext.available(), GpuContext::reason);
    context = GpuContext.open();
    stats = new GpuWindowStats(context);
  }

  @AfterAll
  static void close() {
    if (stats != null) {
      stats.close();
      context.close();
    }
  }

  @Test
  void smallRandomBatchesEqualTheBruteForce() {
    SplittableRandom rnd = new SplittableRandom(11);
    for (int trial = 0; trial < 40; trial++) {
      int w = 1 + rnd.nextInt(70);
      int h = 1 + rnd.nextInt(70);
      int k = 1 + rnd.nextInt(Math.min(w, h));
      double nanRate = new double[] {0, 0.1, 0.5, 0.95, 1}[rnd.nextInt(5)];
      List<float[]> maps = new ArrayList<>();
      for (int m = 0, n = 1 + rnd.nextInt(4); m < n; m++) {
        maps.add(WindowReference.randomMap(rnd, w, h, nanRate));
      }
      check(maps, w, h, k, "trial " + trial);
    }
  }

  @Test
  void aBatchOfDepthSizedMapsWithTheTasksWindowsEqualsTheBruteForce() {
    SplittableRandom rnd = new SplittableRandom(12);
    List<float[]> maps = new ArrayList<>();
    for (int m = 0; m < 3; m++) {
      maps.add(WindowReference.randomMap(rnd, 320, 240, 0.02));
    }
    for (int k : new int[] {11, 15, 25}) {
      check(maps, 320, 240, k, "k=" + k);
    }
  }

  @Test
  void aBatchEqualsTheCpuWindowStatsBitForBit() {
    SplittableRandom rnd = new SplittableRandom(13);
    List<float[]> maps = new ArrayList<>();
    for (int m = 0; m < 5; m++) {
      maps.add(WindowReference.randomMap(rnd, 400, 300, m * 0.2));
    }
    for (int k : new int[] {25, 15, 11}) {
      List<WindowGrid> got = stats.compute(maps, 400, 300, k);
      for (int m = 0; m < maps.size(); m++) {
        WindowStatsCrossCheckTest.assertSameAsWindowStats(
            dev.ssrl.tasks.depth.WindowStats.compute(maps.get(m), 400, 300, k),
            asGrid(got.get(m)),
            "k=" + k + " map " + m);
      }
    }
  }

  @Test
  void valuesOutsideZeroToOneAreRefusedLikeTheCpu() {
    float[] ok = new float[64];
    float[] bad = new float[64];
    bad[37] = 1.5f;
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> stats.compute(List.of(ok, bad), 8, 8, 3));
    org.junit.jupiter.api.Assertions.assertTrue(
        e.getMessage().contains("map 1") && e.getMessage().contains("index 37"), e.getMessage());
  }

  static WindowReference.Grid asGrid(WindowGrid g) {
    int cells = g.columns() * g.rows();
    WindowReference.Grid out = new WindowReference.Grid(cells);
    for (int y = 0; y < g.rows(); y++) {
      for (int x = 0; x < g.columns(); x++) {
        int c = y * g.columns() + x;
        out.min()[c] = g.min(x, y);
        out.max()[c] = g.max(x, y);
        out.count()[c] = g.count(x, y);
        out.sum()[c] = g.quantizedSum(x, y);
      }
    }
    return out;
  }

  private static void check(List<float[]> maps, int w, int h, int k, String what) {
    List<WindowGrid> got = stats.compute(maps, w, h, k);
    assertEquals(maps.size(), got.size());
    for (int m = 0; m < maps.size(); m++) {
      WindowGrid g = got.get(m);
      assertEquals(w - k + 1, g.columns());
      assertEquals(h - k + 1, g.rows());
      int cells = g.columns() * g.rows();
      WindowReference.Grid asGrid = new WindowReference.Grid(cells);
      for (int y = 0; y < g.rows(); y++) {
        for (int x = 0; x < g.columns(); x++) {
          int c = y * g.columns() + x;
          asGrid.min()[c] = g.min(x, y);
          asGrid.max()[c] = g.max(x, y);
          asGrid.count()[c] = g.count(x, y);
          asGrid.sum()[c] = g.quantizedSum(x, y);
          assertEquals(
              Double.doubleToLongBits(asGrid.mean(c)), Double.doubleToLongBits(g.mean(x, y)));
        }
      }
      WindowStatsCoreHostTest.assertSameGrid(
          WindowReference.bruteForce(maps.get(m), w, h, k), asGrid, what + " map " + m);
    }
  }
}
