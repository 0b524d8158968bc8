package dev.ssrl.tasks.depth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.ssrl.api.DepthMap;
import org.junit.jupiter.api.Test;

class DepthResamplingTest {

  /** Nearest neighbour, centre to centre: values and mask move together, nothing is invented. */
  @Test
  void depthIsResampledByNearestNeighbour() {
    float[] v = {1, 2, 3, 4, 5, 6, 7, 8};
    byte[] m = {1, 0, 1, 1, 1, 1, 0, 1};
    DepthMap d = DepthMap.of(4, 2, v, m);
    DepthMap half = DepthResampling.nearest(d, 2, 1);
    // Output pixel x covers source [2x, 2x+2); its centre 2x+1 falls in source pixel 2x+1, row 1.
    assertArrayEquals(new float[] {6, 8}, half.values());
    assertArrayEquals(new byte[] {1, 1}, half.mask());
    DepthMap twice = DepthResampling.nearest(DepthMap.of(2, 1, new float[] {1, 2}), 4, 2);
    assertArrayEquals(new float[] {1, 1, 2, 2, 1, 1, 2, 2}, twice.values());
    assertNull(twice.mask());
  }

  /**
   * Every output value is a source value (none invented between surfaces), its mask bit is that of
   * the same source pixel, and the same size gives the map back unchanged.
   */
  @Test
  void everyOutputPixelIsOneSourcePixelWithItsMask() {
    qt().withExamples(200)
        .forAll(integers().between(1, 12), integers().between(1, 12), integers().between(1, 12))
        .checkAssert(
            (sw, sh, scale) -> {
              int w = Math.max(1, sw * scale / 5);
              int h = Math.max(1, sh * 7 / (scale + 1));
              float[] v = new float[sw * sh];
              byte[] m = new byte[sw * sh];
              for (int i = 0; i < v.length; i++) {
                v[i] = i + 1; // unique values identify the source pixel
                m[i] = (byte) (i % 3 == 0 ? 0 : 1);
              }
              DepthMap out = DepthResampling.nearest(DepthMap.of(sw, sh, v, m), w, h);
              assertEquals(w, out.width());
              assertEquals(h, out.height());
              for (int i = 0; i < w * h; i++) {
                int src = (int) out.values()[i] - 1;
                assertTrue(src >= 0 && src < v.length && out.values()[i] == src + 1);
                assertEquals(m[src], out.mask()[i]);
              }
              DepthMap same = DepthResampling.nearest(DepthMap.of(sw, sh, v, m), sw, sh);
              assertArrayEquals(v, same.values());
              assertArrayEquals(m, same.mask());
            });
  }

  @Test
  void aSizeThatIsNotPositiveIsRefused() {
    DepthMap d = DepthMap.of(2, 1, new float[] {1, 2});
    assertThrows(IllegalArgumentException.class, () -> DepthResampling.nearest(d, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> DepthResampling.nearest(d, 1, -1));
  }
}
