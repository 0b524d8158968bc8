package dev.ssrl.gpu.bench;

import dev.ssrl.gpu.GpuContext;
import dev.ssrl.gpu.GpuRolloutScorer;
import dev.ssrl.gpu.GpuWindowStats;
import dev.ssrl.gpu.RolloutScores;
import dev.ssrl.gpu.WindowGrid;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * GPU throughput, transfers included (how to run: docs/gpu.md). {@code score}: one batch of 4,096
 * responses of about 1 KB or 16 KB each (UTF-8 packing, host-to-device copy, kernel, copy back);
 * divide the batch size by the time per operation for responses per second. {@code windows}: 64
 * normalised depth maps of 1600 × 1064 with 2% invalid pixels, window 25 × 25 (the depth task's)
 * and 15 × 15 (the position task's).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx12g")
public class GpuBench {

  /** A context and scorer with a batch of responses. */
  @State(Scope.Benchmark)
  public static class Rollouts {
    @Param({"1024", "16384"})
    public int responseBytes;

    @Param({"4096"})
    public int batch;

    GpuContext context;
    GpuRolloutScorer scorer;
    List<String> responses;
    List<String> truths;

    @Setup(Level.Trial)
    public void setUp() {
      if (!GpuContext.available()) {
        throw new IllegalStateException("no GPU: " + GpuContext.reason());
      }
      context = GpuContext.open();
      scorer = new GpuRolloutScorer(context);
      SplittableRandom rnd = new SplittableRandom(1);
      String[] words = {"the ", "patch ", "深度 ", "left ", "😀 ", "{ ", "} ", "< ", "/ ", "3-1-2 "};
      responses = new ArrayList<>(batch);
      truths = new ArrayList<>(batch);
      for (int i = 0; i < batch; i++) {
        StringBuilder sb = new StringBuilder("<think>");
        while (sb.length() < responseBytes - 40) {
          sb.append(words[rnd.nextInt(words.length)]);
        }
        sb.append("</think> The answer is \\boxed{2-1-3}.");
        responses.add(sb.toString());
        truths.add(rnd.nextBoolean() ? "2-1-3" : "3-1-2");
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      scorer.close();
      context.close();
    }
  }

  /** A context and 64 depth-sized maps. */
  @State(Scope.Benchmark)
  public static class DepthMaps {
    @Param({"25", "15"})
    public int k;

    static final int W = 1600;
    static final int H = 1064;
    GpuContext context;
    GpuWindowStats stats;
    List<float[]> maps;

    @Setup(Level.Trial)
    public void setUp() {
      if (!GpuContext.available()) {
        throw new IllegalStateException("no GPU: " + GpuContext.reason());
      }
      context = GpuContext.open();
      stats = new GpuWindowStats(context);
      SplittableRandom rnd = new SplittableRandom(2);
      maps = new ArrayList<>(64);
      for (int m = 0; m < 64; m++) {
        float[] v = new float[W * H];
        for (int i = 0; i < v.length; i++) {
          v[i] = rnd.nextDouble() < 0.02 ? Float.NaN : rnd.nextFloat();
        }
        maps.add(v);
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      stats.close();
      context.close();
    }
  }

  /** Scores one batch; returns a result so that the JIT cannot drop the work. */
  @Benchmark
  public RolloutScores score(Rollouts s) {
    return s.scorer.score(s.responses, s.truths, GpuRolloutScorer.DEFAULT_FORMAT_WEIGHT);
  }

  /** Window statistics of the 64 maps. */
  @Benchmark
  public List<WindowGrid> windows(DepthMaps s) {
    return s.stats.compute(s.maps, DepthMaps.W, DepthMaps.H, s.k);
  }
}
