package dev.ssrl.tasks.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.ssrl.tasks.SampleSplit;
import org.junit.jupiter.api.Test;

/**
 * {@link Parallel#forWorkers} (through {@code SampleSplit}): a dataset run with a worker per core
 * never splits a sample, and one with cores to spare splits into two parts at most (issue 27).
 */
class ParallelWorkersTest {
  private static final int CORES = Runtime.getRuntime().availableProcessors();

  @Test
  void splitsAtMostInTwoAndOnlyWithACoreToSparePerWorker() {
    boolean enabled = Parallel.enabled;
    int minWork = Parallel.minWork;
    try {
      Parallel.enabled = true;
      Parallel.minWork = 0;
      qt().forAll(integers().between(1, 4 * CORES + 4), integers().between(2, 1 << 20))
          .checkAssert(
              (workers, n) -> {
                int previous = Parallel.forWorkers(workers);
                try {
                  int parts = Parallel.parts(n, Long.MAX_VALUE);
                  assertTrue(parts >= 1 && parts <= 2, "parts " + parts);
                  if (2 * workers > CORES) {
                    assertEquals(1, parts, workers + " workers on " + CORES + " cores");
                    // jHDF's inflation and the PNG pipeline ask this before using the pool.
                    assertFalse(Parallel.idleCommonPool());
                  }
                } finally {
                  Parallel.restoreMaxParts(previous);
                }
              });
    } finally {
      Parallel.enabled = enabled;
      Parallel.minWork = minWork;
    }
  }

  @Test
  void theLimitIsPutBack() {
    int first = Parallel.forWorkers(CORES);
    int second = Parallel.forWorkers(1);
    assertEquals(1, second, "a worker per core leaves no split");
    Parallel.restoreMaxParts(first);
    boolean enabled = Parallel.enabled;
    int minWork = Parallel.minWork;
    try {
      Parallel.enabled = CORES > 1;
      Parallel.minWork = 0;
      // Without a dataset run's limit the pool's size decides, as before issue 27.
      assertEquals(
          CORES > 1 && Parallel.idleCommonPool()
              ? Math.min(8, java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() + 1)
              : 1,
          Parallel.parts(1 << 20, Long.MAX_VALUE));
    } finally {
      Parallel.enabled = enabled;
      Parallel.minWork = minWork;
    }
  }

  @Test
  void rejectsNoWorkers() {
    assertThrows(IllegalArgumentException.class, () -> Parallel.forWorkers(0));
    assertThrows(IllegalArgumentException.class, () -> SampleSplit.forWorkers(-1));
  }

  @Test
  void aClosedScopePutsTheSettingBack() {
    boolean enabled = Parallel.enabled;
    int minWork = Parallel.minWork;
    try {
      Parallel.enabled = true;
      Parallel.minWork = 0;
      try (SampleSplit.Scope outer = SampleSplit.forWorkers(1)) {
        int one = Parallel.parts(1 << 20, Long.MAX_VALUE);
        try (SampleSplit.Scope inner = SampleSplit.forWorkers(CORES)) {
          assertEquals(1, Parallel.parts(1 << 20, Long.MAX_VALUE), "a worker per core");
        }
        // The pool may be busy with another test's parts: then both are 1.
        assertTrue(Parallel.parts(1 << 20, Long.MAX_VALUE) <= Math.max(one, 2));
        assertTrue(one <= 2);
      }
    } finally {
      Parallel.enabled = enabled;
      Parallel.minWork = minWork;
    }
  }
}
