package dev.ssrl.tasks;

import dev.ssrl.tasks.impl.Parallel;

/**
 * How far one sample's large loops (PNG decode, depth windows, JPEG strips, HDF5 chunk inflation)
 * are spread over the cores while a dataset run generates several samples at once. A run with
 * {@code workers} samples in work splits a sample's loops in two where the machine has at least two
 * cores per worker, and not at all otherwise: with a worker per core a split only adds hand-offs
 * (docs/cli.md, "Sizing by the machine"). Outputs never depend on the split.
 */
public final class SampleSplit {
  private SampleSplit() {}

  /** Ends a {@link #forWorkers} setting, putting back the one before it. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Sizes the split for {@code workers} samples generated at once on this JVM's cores, until the
   * returned scope is closed. The setting is JVM-wide: one dataset run at a time.
   *
   * @throws IllegalArgumentException if workers is below 1
   */
  public static Scope forWorkers(int workers) {
    int previous = Parallel.forWorkers(workers);
    return () -> Parallel.restoreMaxParts(previous);
  }
}
