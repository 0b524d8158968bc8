package dev.ssrl.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ssrl.api.Raster;
import dev.ssrl.tasks.image.RasterOps;
import dev.ssrl.tasks.image.RasterOpsTestSupport;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Invariants of {@link CropSimilarity}, the crop task's "looks the same" score. */
class CropSimilarityTest {
  private static final int N = CropSimilarity.SIDE;

  private static int[] randomLuma(long seed, int amplitude) {
    SplittableRandom r = new SplittableRandom(seed);
    int base = r.nextInt(256 - amplitude);
    int[] a = new int[N * N];
    for (int i = 0; i < a.length; i++) {
      a[i] = base + r.nextInt(amplitude + 1);
    }
    return a;
  }

  private static int[] turn(int[] a) {
    int[] t = new int[a.length];
    for (int y = 0; y < N; y++) {
      for (int x = 0; x < N; x++) {
        t[x * N + (N - 1 - y)] = a[y * N + x];
      }
    }
    return t;
  }

  /** A w×h patch within ±2 levels of grey level {@code level} in every channel. */
  private static Raster nearlyFlat(int w, int h, int level, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] d = new byte[w * h * 3];
    for (int i = 0; i < d.length; i++) {
      d[i] = (byte) (level + r.nextInt(5) - 2);
    }
    return Raster.of(w, h, d);
  }

  @Test
  void identicalPatchesScoreExactlyOne() {
    qt().withExamples(40)
        .forAll(integers().between(32, 200), longs().all())
        .checkAssert(
            (side, seed) -> {
              int[] a = CropSimilarity.luma(RasterOpsTestSupport.random(side, side, seed));
              assertEquals(1.0, CropSimilarity.score(a, a.clone()));
            });
  }

  @Test
  void theScoreIsSymmetricAndUnchangedByTurningBothPatches() {
    qt().withExamples(60)
        .forAll(longs().all(), longs().all(), integers().between(0, 255))
        .checkAssert(
            (s1, s2, amplitude) -> {
              int[] a = randomLuma(s1, amplitude);
              int[] b = randomLuma(s2, amplitude);
              double ab = CropSimilarity.score(a, b);
              assertEquals(ab, CropSimilarity.score(b, a));
              assertEquals(ab, CropSimilarity.score(turn(a), turn(b)));
              assertTrue(ab >= -1 && ab <= 1, "score " + ab);
            });
  }

  @Test
  void aNearlyFlatPatchAndItsQuarterTurnAreFlaggedAsLookingTheSame() {
    // Pixels within ±2 of one level L stay within ±2 after reduction and luma (convex sums, rounded
    // to the nearest level), so in every window cs >= (C2 - 2·2²)/(C2 + 2·2²) = 0.759 and the
    // luminance term is at least 1 - 4²/(2·(L - 2)²) > 0.99 for L >= 64: contrast below the
    // visibility constant does not count as structure.
    qt().withExamples(40)
        .forAll(integers().between(32, 160), integers().between(64, 253), longs().all())
        .checkAssert(
            (side, level, seed) -> {
              Raster flat = nearlyFlat(side, side, level, seed);
              double sim =
                  CropSimilarity.score(
                      CropSimilarity.luma(flat),
                      CropSimilarity.luma(RasterOps.rotateClockwise(flat)));
              assertTrue(sim >= 0.75, "flat vs turned flat: " + sim);
              assertTrue(sim >= CropTask.DEFAULT_SIMILARITY);
            });
  }

  @Test
  void oneVisibleObjectAnywhereMakesPatchesDifferent() {
    // A dark square of 3/16 of the side covers at least one whole window in the reduced patch, as
    // a wing tip in a corner of sky did in the study: the score falls below the threshold.
    qt().withExamples(40)
        .forAll(integers().between(64, 200), integers().between(96, 253), longs().all())
        .checkAssert(
            (side, level, seed) -> {
              Raster flat = nearlyFlat(side, side, level, seed);
              byte[] d = flat.data().clone();
              SplittableRandom r = new SplittableRandom(seed);
              int k = (side * 3 + 15) / 16;
              int x0 = r.nextInt(side - k + 1);
              int y0 = r.nextInt(side - k + 1);
              for (int y = y0; y < y0 + k; y++) {
                for (int x = x0; x < x0 + k; x++) {
                  int o = (y * side + x) * 3;
                  d[o] = d[o + 1] = d[o + 2] = 10;
                }
              }
              double sim =
                  CropSimilarity.score(
                      CropSimilarity.luma(flat), CropSimilarity.luma(Raster.of(side, side, d)));
              assertTrue(sim < CropTask.DEFAULT_SIMILARITY, "flat vs flat with an object: " + sim);
            });
  }

  @Test
  void wrongSizesAreRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> CropSimilarity.score(new int[4], new int[4]));
  }
}
