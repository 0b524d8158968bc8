package dev.ssrl.tasks.depth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link WindowCandidates#find} gives exactly the windows its definition ({@link CandidateQuery})
 * names, with the statistics {@link WindowStats} gives for them, and an engine that only computes
 * full grids (the old path, {@link WindowStatsEngine#candidates}' default) gives the same.
 */
class WindowCandidatesTest {

  /**
   * A map of flat patches (so that windows qualify): a few rectangles each at one level with a
   * little noise, over a noisy background, with invalid pixels at a random rate; levels include 0,
   * 1 and band edges.
   */
  static float[] patchyMap(long seed, int w, int h) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] m = new float[w * h];
    for (int i = 0; i < m.length; i++) {
      m[i] = r.nextFloat();
    }
    double[] levels = {0, 1, 0.30, 0.35, 0.65, 0.70, 0.5, 0.1, 0.9};
    int patches = 1 + r.nextInt(6);
    for (int p = 0; p < patches; p++) {
      int x0 = r.nextInt(w);
      int y0 = r.nextInt(h);
      int x1 = Math.min(w, x0 + 1 + r.nextInt(w));
      int y1 = Math.min(h, y0 + 1 + r.nextInt(h));
      double level = r.nextInt(3) == 0 ? r.nextDouble() : levels[r.nextInt(levels.length)];
      double noise = new double[] {0, 0.05, 0.12, 0.2}[r.nextInt(4)];
      for (int y = y0; y < y1; y++) {
        for (int x = x0; x < x1; x++) {
          double v = level + (r.nextDouble() - 0.5) * noise;
          m[y * w + x] = (float) Math.min(1, Math.max(0, v));
        }
      }
    }
    double invalid = new double[] {0, 0, 0.001, 0.02, 0.3}[r.nextInt(5)];
    for (int i = 0; i < m.length; i++) {
      if (r.nextDouble() < invalid) {
        m[i] = Float.NaN;
      }
    }
    return m;
  }

  /** The definition, window by window, without the scan's shortcuts. */
  static List<List<Integer>> bruteForce(
      float[] map, int w, int h, CandidateQuery q, int k, double range, boolean[] wanted) {
    List<List<Integer>> out = new ArrayList<>();
    for (int b = 0; b < q.bands(); b++) {
      out.add(new ArrayList<>());
    }
    int cols = w - k + 1;
    for (int y = 0; y + k <= h; y++) {
      for (int x = 0; x + k <= w; x++) {
        int cx = x + k / 2;
        int cy = y + k / 2;
        double c = map[cy * w + cx];
        int band = -1;
        for (int b = 0; b < q.bands() && band < 0; b++) {
          if (c >= q.bandLow(b) && c <= q.bandHigh(b)) {
            band = b;
          }
        }
        if (band < 0 || !wanted[band]) {
          continue;
        }
        if (cx < q.margin() * w || cx > (1 - q.margin()) * w) {
          continue;
        }
        if (cy < q.margin() * h || cy > (1 - q.margin()) * h) {
          continue;
        }
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        boolean full = true;
        for (int yy = y; yy < y + k; yy++) {
          for (int xx = x; xx < x + k; xx++) {
            float v = map[yy * w + xx];
            full &= v == v;
            lo = Math.min(lo, v + 0f);
            hi = Math.max(hi, v + 0f);
          }
        }
        double r = (double) hi - (double) lo;
        if (full && (q.inclusive() ? r <= range : r < range)) {
          out.get(band).add(y * cols + x);
        }
      }
    }
    return out;
  }

  static CandidateQuery depthLike(long seed) {
    SplittableRandom r = new SplittableRandom(seed ^ 0x5eed);
    CandidateQuery q =
        CandidateQuery.of(
            new int[] {5, 9, 25}[r.nextInt(3)],
            new double[] {0.05, 0.15, 0.2}[r.nextInt(3)],
            r.nextBoolean(),
            new double[] {0, 0.05, 0.2}[r.nextInt(3)],
            new double[] {0.0, 0.35, 0.70},
            new double[] {0.30, 0.65, 1.0});
    return r.nextBoolean() ? q.withFallback(new int[] {1, 3, 11}[r.nextInt(3)], 0.2) : q;
  }

  @Test
  void candidatesAreExactlyTheDefinitionsWithTheirStatistics() {
    qt().withExamples(150)
        .forAll(integers().between(1, 70), integers().between(1, 70), longs().all())
        .checkAssert(
            (w, h, seed) -> {
              float[] map = patchyMap(seed, w, h);
              CandidateQuery q = depthLike(seed);
              WindowCandidates got = WindowCandidates.find(map, w, h, q);
              boolean[] all = {true, true, true};
              List<List<Integer>> first = bruteForce(map, w, h, q, q.k(), q.range(), all);
              boolean[] missing = new boolean[3];
              for (int b = 0; b < 3; b++) {
                missing[b] = q.hasFallback() && first.get(b).isEmpty();
              }
              List<List<Integer>> second =
                  q.hasFallback()
                      ? bruteForce(map, w, h, q, q.fallbackK(), q.fallbackRange(), missing)
                      : null;
              for (int b = 0; b < 3; b++) {
                int k = missing[b] ? q.fallbackK() : q.k();
                List<Integer> want = missing[b] ? second.get(b) : first.get(b);
                assertEquals(k, got.k(b), "window side of band " + b);
                assertEquals(want.size(), got.size(b), "candidates of band " + b + " " + q);
                WindowStats ws = WindowStats.compute(map, w, h, k);
                for (int j = 0; j < want.size(); j++) {
                  int x = want.get(j) % (w - k + 1);
                  int y = want.get(j) / (w - k + 1);
                  assertEquals(x, got.left(b, j));
                  assertEquals(y, got.top(b, j));
                  assertEquals(Float.floatToIntBits(ws.min(x, y)), bits(got.min(b, j)));
                  assertEquals(Float.floatToIntBits(ws.max(x, y)), bits(got.max(b, j)));
                  assertEquals(ws.quantizedSum(x, y), got.quantizedSum(b, j));
                  assertEquals(
                      Double.doubleToLongBits(ws.mean(x, y)),
                      Double.doubleToLongBits(got.mean(b, j)));
                }
              }
            });
  }

  /** An engine with only the full-grid statistics: the path the tasks took before candidates. */
  private static final WindowStatsEngine FULL_GRID =
      new WindowStatsEngine() {
        @Override
        public String name() {
          return "full-grid";
        }

        @Override
        public Optional<String> unavailableReason() {
          return Optional.empty();
        }

        @Override
        public WindowStats compute(float[] map, int width, int height, int k) {
          return WindowStats.compute(map, width, height, k);
        }
      };

  @Test
  void theFullGridPathGivesTheSameCandidatesAsTheReference() {
    qt().withExamples(100)
        .forAll(integers().between(1, 120), integers().between(1, 90), longs().all())
        .checkAssert(
            (w, h, seed) -> {
              float[] map = patchyMap(seed, w, h);
              CandidateQuery q = depthLike(seed);
              assertSame(
                  WindowCandidates.find(map, w, h, q), FULL_GRID.candidates(map, w, h, q), q);
              assertSame(
                  WindowCandidates.find(map, w, h, q),
                  WindowStatsEngines.CPU.candidates(map, w, h, q),
                  q);
            });
  }

  @Test
  void flatScenesGiveManyCandidatesInRasterOrder() {
    int w = 200;
    int h = 150;
    float[] map = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        map[y * w + x] = x < 70 ? 0.1f : x < 140 ? 0.5f : 0.9f;
      }
    }
    CandidateQuery q =
        CandidateQuery.of(
            25, 0.15, false, 0, new double[] {0, 0.35, 0.7}, new double[] {0.3, 0.65, 1});
    WindowCandidates c = WindowCandidates.find(map, w, h, q);
    // Band 0: windows entirely in x < 70, i.e. left <= 45: 46 columns by 126 rows.
    assertEquals(46 * 126, c.size(0));
    assertEquals(46 * 126, c.size(1));
    for (int j = 1; j < c.size(0); j++) {
      long prev = (long) c.top(0, j - 1) * w + c.left(0, j - 1);
      assertTrue(prev < (long) c.top(0, j) * w + c.left(0, j));
    }
    assertEquals(0.5, c.mean(1, 7), 1e-9);
  }

  @Test
  void badQueriesAndBadEngineResultsAreRefusedNamingTheCause() {
    double[] one = {0};
    double[] two = {0, 1};
    assertTrue(
        assertThrows(
                IllegalArgumentException.class, () -> CandidateQuery.of(0, 1, true, 0, one, one))
            .getMessage()
            .contains("k must be at least 1"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class, () -> CandidateQuery.of(3, 1, true, 0.6, one, one))
            .getMessage()
            .contains("margin"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class, () -> CandidateQuery.of(3, 1, true, 0, one, two))
            .getMessage()
            .contains("bands"));
    CandidateQuery q = CandidateQuery.of(3, 1, true, 0, one, new double[] {1});
    float[] map = new float[25];
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                WindowCandidates.fromSearch(
                    map,
                    5,
                    5,
                    q,
                    new int[] {3},
                    new int[][] {{4, 2}},
                    new float[][] {{0, 0}},
                    new float[][] {{0, 0}}));
    assertTrue(e.getMessage().contains("raster order"), e.getMessage());
    map[3] = 2f;
    e = assertThrows(IllegalArgumentException.class, () -> WindowCandidates.find(map, 5, 5, q));
    assertTrue(e.getMessage().contains("at index 3"), e.getMessage());
  }

  static void assertSame(WindowCandidates want, WindowCandidates got, Object what) {
    assertEquals(want.bands(), got.bands(), String.valueOf(what));
    for (int b = 0; b < want.bands(); b++) {
      assertEquals(want.k(b), got.k(b), what + " band " + b);
      assertEquals(want.size(b), got.size(b), what + " band " + b);
      for (int j = 0; j < want.size(b); j++) {
        assertEquals(want.left(b, j), got.left(b, j));
        assertEquals(want.top(b, j), got.top(b, j));
        assertEquals(bits(want.min(b, j)), bits(got.min(b, j)));
        assertEquals(bits(want.max(b, j)), bits(got.max(b, j)));
      }
    }
  }

  private static int bits(float f) {
    return Float.floatToIntBits(f);
  }
}
