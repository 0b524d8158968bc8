package dev.ssrl.tasks.depth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ssrl.api.DepthMap;
import dev.ssrl.tasks.DepthOrderingTaskFixtures;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DepthNormalizerTest {

  /**
   * Random depths: positive, occasionally negative, with ties, zeros, NaN, Inf and masked pixels.
   */
  private static DepthMap randomDepth(long seed, int w, int h) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[w * h];
    byte[] mask = r.nextBoolean() ? new byte[w * h] : null;
    double pInvalid = r.nextDouble() * 0.9;
    for (int i = 0; i < v.length; i++) {
      int kind = r.nextInt(20);
      v[i] =
          kind == 0
              ? -r.nextFloat() * 3
              : kind < 4 ? (float) r.nextInt(4) + 1 : (float) Math.exp(r.nextDouble() * 6 - 2);
      if (r.nextDouble() < pInvalid) {
        int how = r.nextInt(mask == null ? 4 : 5);
        if (how == 4) {
          continue; // left masked out below
        }
        v[i] = new float[] {0f, -0f, Float.NaN, Float.NEGATIVE_INFINITY}[how];
      }
      if (mask != null) {
        mask[i] = (byte) (r.nextInt(10) == 0 ? 0 : 1);
      }
    }
    return DepthMap.of(w, h, v, mask);
  }

  @Test
  void percentilesAndMappingFollowTheDefinitionOnRandomMaps() {
    qt().withExamples(200)
        .forAll(integers().between(1, 70), integers().between(1, 70), longs().all())
        .checkAssert(
            (w, h, seed) -> {
              DepthMap d = randomDepth(seed, w, h);
              float[] valid = new float[w * h];
              int n = 0;
              for (int i = 0; i < w * h; i++) {
                if (d.isValid(i)) {
                  valid[n++] = d.values()[i];
                }
              }
              var result = DepthNormalizer.normalize(d);
              if (n * 20 < w * h) {
                assertTrue(result.isEmpty(), "fewer than 5% valid must be refused");
                return;
              }
              var norm = result.orElseThrow();
              double low = DepthOrderingTaskFixtures.percentileBySorting(valid, n, 0.5);
              double high = DepthOrderingTaskFixtures.percentileBySorting(valid, n, 99.5);
              assertEquals(low, norm.low());
              assertEquals(high, norm.high());
              assertEquals(n, norm.sourceValid());
              float[] expected = DepthOrderingTaskFixtures.renormalize(d, low, high);
              assertTrue(Arrays.equals(expected, norm.values()), "normalised values");
              int kept = 0;
              for (float x : norm.values()) {
                if (!Float.isNaN(x)) {
                  kept++;
                  assertTrue(x >= 0f && x <= 1f, "value " + x + " outside [0, 1]");
                }
              }
              assertEquals(kept, norm.kept());
            });
  }

  @Test
  void nearerPixelsMapToSmallerValues() {
    float[] v = new float[400];
    for (int i = 0; i < v.length; i++) {
      v[i] = 1 + i * 0.01f;
    }
    var norm = DepthNormalizer.normalize(DepthMap.of(20, 20, v)).orElseThrow();
    float previous = -1;
    for (float x : norm.values()) {
      if (!Float.isNaN(x)) {
        assertTrue(x >= previous, "monotone");
        previous = x;
      }
    }
    // The extreme 0.5% on each side (2 of 400 values) are clipped away.
    assertTrue(Float.isNaN(norm.values()[0]));
    assertTrue(Float.isNaN(norm.values()[399]));
    assertEquals(0f, norm.values()[2], 1e-4f);
  }

  @Test
  void exactlyFivePercentValidIsEnoughAndOneLessIsNot() {
    float[] v = new float[400];
    for (int i = 0; i < 20; i++) {
      v[i * 20] = 2 + i;
    }
    assertTrue(DepthNormalizer.normalize(DepthMap.of(20, 20, v)).isPresent());
    v[0] = 0;
    assertTrue(DepthNormalizer.normalize(DepthMap.of(20, 20, v)).isEmpty());
  }

  @Test
  void constantDepthMapsEveryValidPixelToZero() {
    float[] v = new float[100];
    Arrays.fill(v, 3.5f);
    v[7] = Float.NaN;
    var norm = DepthNormalizer.normalize(DepthMap.of(10, 10, v)).orElseThrow();
    assertEquals(3.5, norm.low());
    assertEquals(3.5, norm.high());
    assertEquals(99, norm.kept());
    assertEquals(0f, norm.at(0, 0));
    assertTrue(Float.isNaN(norm.at(7, 0)));
  }

  @Test
  void maskedPixelsAreInvalid() {
    float[] v = new float[100];
    Arrays.fill(v, 2f);
    v[5] = 1000f;
    byte[] mask = new byte[100];
    Arrays.fill(mask, (byte) 1);
    mask[5] = 0;
    var norm = DepthNormalizer.normalize(DepthMap.of(10, 10, v, mask)).orElseThrow();
    assertEquals(2.0, norm.high());
    assertTrue(Float.isNaN(norm.at(5, 0)));
  }
}
