package dev.ssrl.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssrl.tasks.depth.CandidateQuery;
import dev.ssrl.tasks.depth.WindowCandidates;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The candidate kernels' core (window_candidates_core.cuh: shared-memory tiles, row runs,
 * classification), compiled for the host and driven with the engine's query bytes, levels and
 * unpacking, gives exactly {@link WindowCandidates#find}: the same windows per band in raster
 * order, the same minima and maxima bit for bit, on maps with flat patches, band edges, invalid
 * pixels and sizes that cut tiles anywhere.
 */
class WindowCandidatesCoreHostTest {

  /** Flat patches at band-edge levels over noise, with invalid pixels (as the tasks meet). */
  static float[] patchyMap(SplittableRandom r, int w, int h) {
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
      double level = levels[r.nextInt(levels.length)];
      double noise = new double[] {0, 0.05, 0.12, 0.2}[r.nextInt(4)];
      for (int y = y0; y < y1; y++) {
        for (int x = x0; x < x1; x++) {
          double v = level + (r.nextDouble() - 0.5) * noise;
          m[y * w + x] = (float) Math.min(1, Math.max(0, v));
        }
      }
    }
    double invalid = new double[] {0, 0.001, 0.02, 0.3}[r.nextInt(4)];
    for (int i = 0; i < m.length; i++) {
      if (r.nextDouble() < invalid) {
        m[i] = Float.NaN;
      } else if (m[i] == 0f && r.nextBoolean()) {
        m[i] = -0f; // read as +0
      }
    }
    return m;
  }

  @Test
  void theKernelCoreGivesTheReferenceCandidatesBitForBit() throws Exception {
    SplittableRandom rnd = new SplittableRandom(28);
    int compared = 0;
    for (int trial = 0; trial < 40; trial++) {
      int k = new int[] {1, 3, 11, 15, 25, 48}[rnd.nextInt(6)];
      int w = k + rnd.nextInt(90);
      int h = k + rnd.nextInt(70);
      boolean depth = rnd.nextBoolean();
      CandidateQuery q =
          depth
              ? CandidateQuery.of(
                  k, 0.15, false, 0, new double[] {0, 0.35, 0.7}, new double[] {0.3, 0.65, 1})
              : CandidateQuery.of(k, 0.15, true, 0.05, new double[] {0}, new double[] {1});
      int fallback = 1 + rnd.nextInt(Math.min(w, h));
      if (depth && rnd.nextBoolean() && fallback <= 48) {
        q = q.withFallback(fallback, 0.2);
      }
      List<float[]> maps = new ArrayList<>();
      for (int m = 0; m < 1 + rnd.nextInt(3); m++) {
        maps.add(patchyMap(rnd, w, h));
      }
      List<WindowCandidates> got = HostCoreCandidates.findAll(maps, w, h, q);
      for (int m = 0; m < maps.size(); m++) {
        WindowCandidates want = WindowCandidates.find(maps.get(m), w, h, q);
        assertSameCandidates(want, got.get(m), "trial " + trial + " map " + m + " " + q);
        for (int b = 0; b < want.bands(); b++) {
          compared += want.size(b);
        }
      }
    }
    assertTrue(compared > 10_000, compared + " candidates compared");
  }

  static void assertSameCandidates(WindowCandidates want, WindowCandidates got, String what) {
    assertEquals(want.bands(), got.bands(), what);
    for (int b = 0; b < want.bands(); b++) {
      assertEquals(want.k(b), got.k(b), what + " band " + b + " window side");
      assertEquals(want.size(b), got.size(b), what + " band " + b + " count");
      for (int j = 0; j < want.size(b); j++) {
        String at = what + " band " + b + " candidate " + j;
        assertEquals(want.left(b, j), got.left(b, j), at);
        assertEquals(want.top(b, j), got.top(b, j), at);
        assertEquals(Float.floatToIntBits(want.min(b, j)), Float.floatToIntBits(got.min(b, j)), at);
        assertEquals(Float.floatToIntBits(want.max(b, j)), Float.floatToIntBits(got.max(b, j)), at);
      }
    }
  }
}
