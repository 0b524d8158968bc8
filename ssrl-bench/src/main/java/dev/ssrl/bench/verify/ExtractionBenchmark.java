package dev.ssrl.bench.verify;

import dev.ssrl.verify.SpatialSsrlReward;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The reference reward's steps alone on ~1 KB responses (operations/s). */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ExtractionBenchmark {
  private String[] responses;
  private int next;

  @Setup
  public void setUp() {
    responses = Responses.make(256, 1024, 7);
  }

  private String nextResponse() {
    String s = responses[next];
    next = (next + 1) % responses.length;
    return s;
  }

  /** Last-box extraction (builds the answer string). */
  @Benchmark
  public String extractAnswer() {
    return SpatialSsrlReward.extractAnswer(nextResponse());
  }

  /** The format check alone. */
  @Benchmark
  public boolean hasFormat() {
    return SpatialSsrlReward.hasFormat(nextResponse());
  }

  /** Whitespace normalisation into a new string (not used by scoring; for comparison). */
  @Benchmark
  public String normalize() {
    return SpatialSsrlReward.normalize(nextResponse());
  }
}
