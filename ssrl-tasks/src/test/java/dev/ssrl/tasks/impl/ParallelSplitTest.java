package dev.ssrl.tasks.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ssrl.api.DepthMap;
import dev.ssrl.api.Outcome;
import dev.ssrl.api.Scene;
import dev.ssrl.tasks.DepthOrderingTask;
import dev.ssrl.tasks.RelativePositionTask;
import dev.ssrl.tasks.depth.DepthNormalizer;
import dev.ssrl.tasks.depth.WindowStats;
import dev.ssrl.tasks.synthetic.SyntheticScenes;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Splitting a sample's loops over threads ({@link Parallel}) must not change a single bit: each
 * check computes the same thing unsplit and split into 2, 3 and 5 parts (uneven cuts), and requires
 * equal results, including which error is reported.
 */
class ParallelSplitTest {
  private static final int[] PARTS = {2, 3, 5};

  /** Runs {@code f} unsplit, then split every way, asserting that all results are equal. */
  private static <T> T sameEverySplit(Supplier<T> f, java.util.function.BiConsumer<T, T> same) {
    boolean enabled = Parallel.enabled;
    int minWork = Parallel.minWork;
    int forced = Parallel.forcedParts;
    try {
      Parallel.enabled = false;
      T reference = f.get();
      Parallel.enabled = true;
      Parallel.minWork = 0;
      for (int parts : PARTS) {
        Parallel.forcedParts = parts;
        same.accept(reference, f.get());
      }
      return reference;
    } finally {
      Parallel.enabled = enabled;
      Parallel.minWork = minWork;
      Parallel.forcedParts = forced;
    }
  }

  private static float[] randomMap(long seed, int w, int h) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] m = new float[w * h];
    double pNaN = r.nextDouble() * 0.3;
    for (int i = 0; i < m.length; i++) {
      m[i] = r.nextDouble() < pNaN ? Float.NaN : r.nextInt(5) == 0 ? 0.25f : r.nextFloat();
    }
    return m;
  }

  @Test
  void windowStatisticsAreTheSameSplitOrNot() {
    qt().withExamples(60)
        .forAll(integers().between(1, 80), integers().between(1, 80), longs().all())
        .checkAssert(
            (w, h, seed) -> {
              int k = 1 + (int) Math.floorMod(seed, 13L);
              float[] map = randomMap(seed, w, h);
              sameEverySplit(
                  () -> WindowStats.compute(map, w, h, k),
                  (a, b) -> {
                    assertEquals(a.columns(), b.columns());
                    assertEquals(a.rows(), b.rows());
                    for (int y = 0; y < a.rows(); y++) {
                      for (int x = 0; x < a.columns(); x++) {
                        assertEquals(a.count(x, y), b.count(x, y));
                        assertEquals(
                            Float.floatToRawIntBits(a.min(x, y)),
                            Float.floatToRawIntBits(b.min(x, y)));
                        assertEquals(
                            Float.floatToRawIntBits(a.max(x, y)),
                            Float.floatToRawIntBits(b.max(x, y)));
                        assertEquals(a.quantizedSum(x, y), b.quantizedSum(x, y));
                      }
                    }
                  });
            });
  }

  @Test
  void theFirstBadValueIsReportedWhicheverPartMeetsIt() {
    float[] map = randomMap(7, 50, 40);
    map[1234] = 2f;
    map[1900] = -1f; // later, and in another part for most splits
    sameEverySplit(
        () ->
            assertThrows(IllegalArgumentException.class, () -> WindowStats.compute(map, 50, 40, 5))
                .getMessage(),
        (a, b) -> assertEquals(a, b));
    assertEquals(
        "map value 2.0 at index 1234 is neither NaN nor in [0, 1]",
        assertThrows(IllegalArgumentException.class, () -> WindowStats.compute(map, 50, 40, 5))
            .getMessage());
  }

  @Test
  void normalisationIsTheSameSplitOrNot() {
    qt().withExamples(60)
        .forAll(integers().between(1, 90), integers().between(1, 90), longs().all())
        .checkAssert(
            (w, h, seed) -> {
              SplittableRandom r = new SplittableRandom(seed);
              float[] depth = new float[w * h];
              byte[] mask = r.nextBoolean() ? new byte[w * h] : null;
              for (int i = 0; i < depth.length; i++) {
                int kind = r.nextInt(12);
                depth[i] =
                    kind == 0
                        ? 0f
                        : kind == 1
                            ? Float.NaN
                            : kind == 2 ? -r.nextFloat() : 1 + 20 * r.nextFloat();
                if (mask != null) {
                  mask[i] = (byte) (r.nextInt(10) == 0 ? 0 : 1);
                }
              }
              DepthMap map = DepthMap.of(w, h, depth, mask);
              sameEverySplit(
                  () -> DepthNormalizer.normalize(map),
                  (a, b) -> {
                    assertEquals(a.isPresent(), b.isPresent());
                    if (a.isPresent()) {
                      DepthNormalizer.Normalized x = a.get();
                      DepthNormalizer.Normalized y = b.get();
                      assertEquals(x.low(), y.low());
                      assertEquals(x.high(), y.high());
                      assertEquals(x.sourceValid(), y.sourceValid());
                      assertEquals(x.kept(), y.kept());
                      assertArrayEquals(x.values(), y.values());
                    }
                  });
            });
  }

  @Test
  void depthAndPositionSamplesAreTheSameSplitOrNot() {
    for (int i = 0; i < 4; i++) {
      Scene scene = SyntheticScenes.scene(SyntheticScenes.BUILT_IN_SEED, i, 320, 240);
      for (long seed = 0; seed < 3; seed++) {
        long s = seed;
        for (dev.ssrl.api.Task task :
            new dev.ssrl.api.Task[] {new DepthOrderingTask(), new RelativePositionTask()}) {
          Outcome o = sameEverySplit(() -> task.generate(scene, s), (a, b) -> assertEquals(a, b));
          org.junit.jupiter.api.Assertions.assertNotNull(o);
        }
      }
    }
  }

  @Test
  void forRangesCoversEveryIndexOnceInContiguousParts() {
    for (int n = 0; n < 40; n++) {
      for (int parts = 1; parts <= 6; parts++) {
        int[] hits = new int[n];
        int[] lastTo = new int[parts];
        int nn = n;
        int pp = parts;
        Parallel.forRanges(
            n,
            parts,
            (part, from, to) -> {
              assertEquals(Parallel.start(nn, pp, part), from);
              lastTo[part] = to;
              for (int i = from; i < to; i++) {
                hits[i]++;
              }
            });
        for (int i = 0; i < n; i++) {
          assertEquals(1, hits[i], "index " + i + " of " + n + " in " + parts + " parts");
        }
        assertEquals(n, lastTo[parts - 1]);
      }
    }
  }
}
