package dev.ssrl.bench.verify;

import dev.ssrl.verify.Advantages;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** GRPO advantages: one group of 8 rollouts, and a batch of 1,024 prompts × 8 rollouts. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AdvantagesBenchmark {
  private double[] group;
  private double[] batch;
  private List<String> keys;

  @Setup
  public void setUp() {
    SplittableRandom rnd = new SplittableRandom(3);
    group = new double[8];
    for (int i = 0; i < group.length; i++) {
      group[i] = rnd.nextInt(3) * 0.45;
    }
    batch = new double[1024 * 8];
    keys = new ArrayList<>(batch.length);
    for (int i = 0; i < batch.length; i++) {
      batch[i] = rnd.nextInt(3) * 0.45;
      keys.add("prompt-" + (i / 8));
    }
  }

  @Benchmark
  public double[] grpoGroupOf8() {
    return Advantages.grpo(group);
  }

  @Benchmark
  public double[] grpoBatch1024x8() {
    return Advantages.grpo(batch, keys);
  }

  @Benchmark
  public double[] drGrpoBatch1024x8() {
    return Advantages.drGrpo(batch, keys);
  }
}
