package dev.ssrl.tasks.impl;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Splits the per-pixel loops of one sample (PNG decode, depth normalisation, window statistics,
 * window scans) over the common fork-join pool, so that a single sample finishes sooner when cores
 * are idle. Results never depend on the split: every caller combines the parts in part order with
 * exact operations (integer sums, min/max, concatenation), and tests compare split and unsplit
 * runs.
 *
 * <p>A dataset run says how many samples it works on at once ({@link #forWorkers}): a loop is then
 * split only where every worker can have a second core, and into two parts at most (issue 27). With
 * one worker per core the split costs hand-offs and pool wake-ups and gains nothing (on two cores,
 * 16 workers: +1.8 s of 9.6 s CPU); on a 16-core machine one worker splitting into eight parts
 * spent 35.6 s of CPU where the unsplit run spent 15.6 s, and finished later (15.0 s against 12.4 s
 * wall), while two parts on two cores cut a one-worker run's wall time by 13 % for 7 % more CPU
 * (docs/BENCHMARKS.md, "Thread scaling"). A loop is also not split while the common pool is busy
 * with another sample's parts ({@link #idleCommonPool}), and splitting can be turned off altogether
 * with the system property {@code ssrl.parallel=false} (it is also off on a one-core machine).
 */
public final class Parallel {
  private Parallel() {}

  // Below this many pixels (or bytes) of work a loop is not split. Tests lower it, and switch the
  // split off, to compare split and unsplit results.
  public static volatile int minWork = 1 << 18;

  // Tests force uneven splits (3, 5 parts) that the machine's core count would not give.
  public static volatile int forcedParts = 0;

  public static volatile boolean enabled =
      Runtime.getRuntime().availableProcessors() > 1
          && !"false".equalsIgnoreCase(System.getProperty("ssrl.parallel"));

  // The most parts a loop is split into; forWorkers lowers it for a dataset run. Without a call
  // (one sample at a time: preview, benchmarks) the pool's size decides, up to 8.
  private static volatile int maxParts = 8;

  /**
   * Sizes the split for {@code workers} samples generated at once on this machine: loops are split
   * in two where the cores number at least twice the workers, else not at all (see the class
   * comment for the measurements behind both rules). Returns the previous limit, for {@link
   * #restoreMaxParts}.
   *
   * @throws IllegalArgumentException if workers is below 1
   */
  public static int forWorkers(int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1, got " + workers);
    }
    int previous = maxParts;
    maxParts = Runtime.getRuntime().availableProcessors() >= 2 * workers ? 2 : 1;
    return previous;
  }

  /** Puts back the limit {@link #forWorkers} returned. */
  public static void restoreMaxParts(int previous) {
    maxParts = previous;
  }

  /** A body over a half-open range of indices. */
  @FunctionalInterface
  public interface Range {
    void run(int part, int from, int to);
  }

  /**
   * How many parts a loop over {@code n} items costing {@code work} in total is split into: 1 when
   * disabled or small, else the common pool's parallelism plus this thread, at most {@code n} and
   * at most the limit {@link #forWorkers} set.
   */
  public static int parts(int n, long work) {
    if (!enabled || work < minWork || n < 2) {
      return 1;
    }
    if (forcedParts > 0) {
      return Math.min(n, forcedParts);
    }
    if (!idleCommonPool()) {
      return 1;
    }
    return Math.max(
        1, Math.min(n, Math.min(maxParts, ForkJoinPool.getCommonPoolParallelism() + 1)));
  }

  /**
   * Whether the common pool has a thread free for this sample's parts: none of its threads is
   * running a task and nothing is queued. When another worker's sample already has its parts on the
   * pool — every core taken, as in a dataset run with one worker per core — a second split would
   * only queue behind it and fight the workers for the cores, so loops run unsplit and the HDF5
   * reader inflates on one thread (issue 17). An estimate read without locking; the results never
   * depend on it. False also when splitting is off ({@code ssrl.parallel=false}, or {@link
   * #forWorkers} left no core for it): then jHDF's chunk inflation, which would otherwise spread
   * over the common pool whatever the setting, stays on the sample's own thread too.
   */
  public static boolean idleCommonPool() {
    if (!enabled || maxParts < 2) {
      return false;
    }
    ForkJoinPool pool = ForkJoinPool.commonPool();
    return pool.getActiveThreadCount() == 0
        && !pool.hasQueuedSubmissions()
        && pool.getQueuedTaskCount() == 0;
  }

  /**
   * Runs {@code body} over {@code [0, n)} cut into {@code parts} contiguous ranges: the first on
   * this thread, the others as common-pool tasks, which this thread runs itself when no pool thread
   * has taken them by the time it gets to them. Returns when all are done. When parts throw, the
   * exception of the lowest-numbered failing part is the one thrown, so the error a caller sees is
   * the one the unsplit loop would have met first.
   */
  public static void forRanges(int n, int parts, Range body) {
    if (parts <= 1) {
      body.run(0, 0, n);
      return;
    }
    // Parts catch their own failures: ForkJoinTask.join would rethrow a copy of an exception from
    // another thread, with a different message, where callers promise the original.
    Throwable[] failures = new Throwable[parts];
    ForkJoinTask<?>[] others = new ForkJoinTask<?>[parts - 1];
    for (int p = 1; p < parts; p++) {
      int part = p;
      others[p - 1] =
          ForkJoinTask.adapt(
                  () -> {
                    try {
                      body.run(part, start(n, parts, part), start(n, parts, part + 1));
                    } catch (Throwable t) {
                      failures[part] = t;
                    }
                  })
              .fork();
    }
    body.run(0, 0, start(n, parts, 1));
    for (ForkJoinTask<?> t : others) {
      t.join(); // runs the task here if no pool thread has started it
    }
    for (Throwable t : failures) {
      if (t instanceof RuntimeException e) {
        throw e;
      }
      if (t instanceof Error e) {
        throw e;
      }
    }
  }

  /** The first index of part {@code p} of {@code parts} over {@code [0, n)}. */
  static int start(int n, int parts, int p) {
    return (int) ((long) n * p / parts);
  }
}
