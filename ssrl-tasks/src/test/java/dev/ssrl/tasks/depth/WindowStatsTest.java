package dev.ssrl.tasks.depth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ssrl.tasks.DepthOrderingTaskFixtures;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WindowStatsTest {

  /** A random map: values in [0, 1] (some exactly 0 or 1, some tiny), NaN with probability p. */
  private static float[] randomMap(long seed, int w, int h, double pInvalid) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] m = new float[w * h];
    for (int i = 0; i < m.length; i++) {
      double u = r.nextDouble();
      if (u < pInvalid) {
        m[i] = Float.NaN;
      } else {
        int kind = r.nextInt(10);
        m[i] =
            kind == 0
                ? 0f
                : kind == 1 ? 1f : kind == 2 ? (float) (r.nextDouble() * 1e-6) : r.nextFloat();
      }
    }
    return m;
  }

  @Test
  void everyWindowMatchesBruteForceOnRandomMapsWithInvalidPixels() {
    qt().withExamples(300)
        .forAll(
            integers().between(1, 60),
            integers().between(1, 60),
            arbitrary().pick(1, 3, 5, 11, 15),
            longs().all())
        .checkAssert(
            (w, h, k, seed) -> {
              double p = new double[] {0, 0.05, 0.3, 0.9, 1.0}[(int) Math.floorMod(seed, 5L)];
              float[] map = randomMap(seed, w, h, p);
              WindowStats ws = WindowStats.compute(map, w, h, k);
              assertEquals(Math.max(0, w - k + 1), ws.columns());
              assertEquals(Math.max(0, h - k + 1), ws.rows());
              for (int y = 0; y < ws.rows(); y++) {
                for (int x = 0; x < ws.columns(); x++) {
                  assertWindowMatches(map, w, k, ws, x, y);
                }
              }
            });
  }

  @Test
  void sumsAddedUpDirectlyAndFromTheIntegralImageAgreeAndIgnoreLaterChangesToTheMap() {
    // The first DIRECT_SUMS queries add up the map, later ones read an integral image: visiting the
    // windows in a random order puts random windows on each side of the switch.
    qt().withExamples(40)
        .forAll(integers().between(20, 70), integers().between(20, 70), longs().all())
        .checkAssert(
            (w, h, seed) -> {
              int k = 1 + (int) Math.floorMod(seed, 9L);
              float[] map = randomMap(seed, w, h, 0.2);
              float[] original = map.clone();
              WindowStats ws = WindowStats.compute(map, w, h, k);
              java.util.Arrays.fill(map, 0.5f); // the public compute keeps its own copy
              SplittableRandom r = new SplittableRandom(seed);
              int windows = ws.columns() * ws.rows();
              assertTrue(windows > WindowSums.DIRECT_SUMS);
              for (int q = 0; q < 3 * WindowSums.DIRECT_SUMS; q++) {
                int i = r.nextInt(windows);
                assertWindowMatches(original, w, k, ws, i % ws.columns(), i / ws.columns());
              }
            });
  }

  private static void assertWindowMatches(float[] map, int w, int k, WindowStats ws, int x, int y) {
    double[] ref = DepthOrderingTaskFixtures.window(map, w, x, y, k);
    long qsum = 0;
    for (int yy = y; yy < y + k; yy++) {
      for (int xx = x; xx < x + k; xx++) {
        float v = map[yy * w + xx];
        if (!Float.isNaN(v)) {
          qsum += (long) Math.floor((double) v * 4294967296.0 + 0.5);
        }
      }
    }
    String at = "window (" + x + "," + y + ") k=" + k;
    assertEquals((float) ref[0], ws.min(x, y), at);
    assertEquals((float) ref[1], ws.max(x, y), at);
    assertEquals((int) ref[2], ws.count(x, y), at);
    assertEquals(ref[2] == (double) k * k, ws.fullyValid(x, y), at);
    assertEquals(qsum, ws.quantizedSum(x, y), at);
    if (ref[2] == 0) {
      assertTrue(Double.isNaN(ws.mean(x, y)), at);
    } else {
      // Exactly the documented formula, and within 2^-33 of the true mean.
      assertEquals((qsum / 4294967296.0) / ref[2], ws.mean(x, y), 0.0, at);
      assertEquals(ref[3], ws.mean(x, y), 1e-9, at);
    }
  }

  @Test
  void emptyWindowHasInfiniteExtremesAndNanMean() {
    float[] map = new float[9];
    java.util.Arrays.fill(map, Float.NaN);
    WindowStats ws = WindowStats.compute(map, 3, 3, 3);
    assertEquals(Float.POSITIVE_INFINITY, ws.min(0, 0));
    assertEquals(Float.NEGATIVE_INFINITY, ws.max(0, 0));
    assertEquals(0, ws.count(0, 0));
    assertTrue(Double.isNaN(ws.mean(0, 0)));
  }

  @Test
  void windowLargerThanTheMapGivesNoPositions() {
    WindowStats ws = WindowStats.compute(new float[20], 5, 4, 5);
    assertEquals(1, ws.columns());
    assertEquals(0, ws.rows());
    assertThrows(IndexOutOfBoundsException.class, () -> ws.min(0, 0));
  }

  @Test
  void outOfRangeValuesAndBadSizesAreRefusedWithTheirIndex() {
    float[] map = {0.5f, 1.5f, 0f, 0f};
    var e = assertThrows(IllegalArgumentException.class, () -> WindowStats.compute(map, 2, 2, 1));
    assertTrue(e.getMessage().contains("index 1"), e.getMessage());
    float[] inf = {0.5f, Float.POSITIVE_INFINITY, 0f, 0f};
    assertThrows(IllegalArgumentException.class, () -> WindowStats.compute(inf, 2, 2, 1));
    assertThrows(IllegalArgumentException.class, () -> WindowStats.compute(new float[4], 2, 2, 0));
    assertThrows(IllegalArgumentException.class, () -> WindowStats.compute(new float[5], 2, 2, 1));
  }

  @Test
  void quantizationRoundsHalfUpAtTheDocumentedScale() {
    assertEquals(0L, WindowStats.quantize(0f));
    assertEquals(1L << 32, WindowStats.quantize(1f));
    assertEquals(1L << 31, WindowStats.quantize(0.5f));
    // 2^-33 is exactly half a unit: rounds up.
    assertEquals(1L, WindowStats.quantize(0x1p-33f));
    assertEquals(0L, WindowStats.quantize(0x1p-34f));
  }
}
