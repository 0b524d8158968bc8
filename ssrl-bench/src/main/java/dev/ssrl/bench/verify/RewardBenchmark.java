package dev.ssrl.bench.verify;

import dev.ssrl.api.Reward;
import dev.ssrl.api.Verifier;
import dev.ssrl.verify.PartialCredit;
import dev.ssrl.verify.SpatialSsrlReward;
import dev.ssrl.verify.Verifiers;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Throughput of scoring one response (responses/s) at several response lengths. Each invocation
 * scores the next of 256 distinct responses so that branch predictors do not learn one input.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RewardBenchmark {
  @Param({"1024", "16384", "1048576"})
  public int length;

  private String[] responses;
  private int next;
  private final Verifier reference = SpatialSsrlReward.standard();
  private final Verifier kendall = Verifiers.permutation(PartialCredit.KENDALL);
  private final Verifier letter = Verifiers.optionLetter();

  @Setup
  public void setUp() {
    responses = Responses.make(length >= 1 << 20 ? 16 : 256, length, 42);
  }

  private int index() {
    int i = next;
    next = (i + 1) % responses.length;
    return i;
  }

  /** The reference-compatible reward (SPEC §5.1). */
  @Benchmark
  public Reward reference() {
    int i = index();
    return reference.score(responses[i], Responses.truthOf(i));
  }

  /** Permutation verifier with Kendall partial credit (allocates details). */
  @Benchmark
  public Reward permutationKendall() {
    int i = index();
    return kendall.score(responses[i], Responses.truthOf(i));
  }

  /** Tolerant option-letter verifier. */
  @Benchmark
  public Reward optionLetter() {
    int i = index();
    return letter.score(responses[i], Responses.truthOf(i));
  }
}
