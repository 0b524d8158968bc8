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
 * The window kernels on a real GPU equal the pixel-by-pixel brute force bit for bit (count, min,
 * max and mean); skipped, with the reason, where no GPU is usable.
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

  private static void check(List<float[]> maps, int w, int h, int k, String what) {
    List<WindowGrid> got = stats.compute(maps, w, h, k);
    assertEquals(maps.size(), got.size());
    for (int m = 0; m < maps.size(); m++) {
      WindowGrid g = got.get(m);
      assertEquals(w - k + 1, g.columns());
      assertEquals(h - k + 1, g.rows());
      int cells = g.columns() * g.rows();
      WindowReference.Grid asGrid =
          new WindowReference.Grid(
              new float[cells], new float[cells], new int[cells], new double[cells]);
      for (int y = 0; y < g.rows(); y++) {
        for (int x = 0; x < g.columns(); x++) {
          int c = y * g.columns() + x;
          asGrid.min()[c] = g.min(x, y);
          asGrid.max()[c] = g.max(x, y);
          asGrid.count()[c] = g.count(x, y);
          asGrid.mean()[c] = g.mean(x, y);
        }
      }
      WindowStatsCoreHostTest.assertSameGrid(
          WindowReference.bruteForce(maps.get(m), w, h, k), asGrid, what + " map " + m);
    }
  }
}
