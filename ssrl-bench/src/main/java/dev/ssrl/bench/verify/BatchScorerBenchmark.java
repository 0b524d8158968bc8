package dev.ssrl.bench.verify;

import dev.ssrl.api.Reward;
import dev.ssrl.verify.BatchScorer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Batches of 8,192 ~1 KB responses scored per task on all cores (batches/s). */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BatchScorerBenchmark {
  private static final String[] TASKS = {"depth", "shuffle", "crop", "flip", "depth"};
  private List<BatchScorer.Request> requests;
  private final BatchScorer scorer = BatchScorer.perTask();

  @Setup
  public void setUp() {
    String[] responses = Responses.make(8192, 1024, 11);
    requests = new ArrayList<>(responses.length);
    for (int i = 0; i < responses.length; i++) {
      requests.add(
          new BatchScorer.Request(
              responses[i], Responses.truthOf(i), TASKS[i % Responses.TRUTHS.length]));
    }
  }

  @Benchmark
  public List<Reward> perTask8192() {
    return scorer.score(requests);
  }
}
