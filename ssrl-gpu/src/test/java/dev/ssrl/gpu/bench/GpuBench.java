package dev.ssrl.gpu.bench;

import dev.ssrl.gpu.GpuContext;
import dev.ssrl.gpu.GpuWindowStats;
import dev.ssrl.gpu.RolloutScorer;
import dev.ssrl.gpu.RolloutScorers;
import dev.ssrl.gpu.ScorerPreference;
import dev.ssrl.gpu.WindowGrid;
import dev.ssrl.tasks.depth.WindowStats;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * GPU against CPU, end to end (packing and transfers included), throughput per second.
 *
 * <ul>
 *   <li>{@code score1k*}, {@code score16k*}: responses/s for batches of 65,536 responses of ~1 KB
 *       and 4,096 of ~16 KB (64 MiB each), on the GPU scorer and on the CPU scorer ({@code
 *       ssrl-verify} on all cores), both from {@link RolloutScorers}.
 *   <li>{@code windows*}: maps/s for a batch of 64 normalised maps of 1600 × 1064, k = 25: GPU, the
 *       CPU implementation ({@link WindowStats}) one map after another, and the CPU implementation
 *       on all cores.
 * </ul>
 *
 * Without a GPU the GPU benchmarks fail in their setup with {@code no GPU: <reason>}. Run (docs/
 * gpu.md): {@code java -cp ... org.openjdk.jmh.Main GpuBench}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms8g", "-Xmx24g"})
public class GpuBench {
  static final int N1K = 65_536;
  static final int N16K = 4_096;
  static final int MAPS = 64;
  static final int W = 1600;
  static final int H = 1064;
  static final int K = 25;

  /** Response batches; filler text with some multi-byte characters, half the answers right. */
  @State(Scope.Benchmark)
  public static class Batches {
    List<String> r1k;
    List<String> t1k;
    List<String> r16k;
    List<String> t16k;

    @Setup(Level.Trial)
    public void build() {
      SplittableRandom rnd = new SplittableRandom(1);
      r1k = new ArrayList<>();
      t1k = new ArrayList<>();
      r16k = new ArrayList<>();
      t16k = new ArrayList<>();
      fill(rnd, N1K, 1024, r1k, t1k);
      fill(rnd, N16K, 16 * 1024, r16k, t16k);
    }

    /**
     * Appends n responses of about {@code bytes} characters (filler with multi-byte characters, a
     * boxed answer) to r and their ground truths to t, half of them right; also used by {@code
     * ScoreStageTimes}.
     */
    public static void fill(
        SplittableRandom rnd, int n, int bytes, List<String> r, List<String> t) {
      String[] words = {"the ", "region ", "marked ", "2 ", "is ", "closer ", "than ", "深度 ", "é "};
      String[] answers = {"1-2-3", "2-1-3", "3-1-2", "A", "C"};
      for (int i = 0; i < n; i++) {
        StringBuilder sb = new StringBuilder(bytes + 64).append("<think>");
        while (sb.length() < bytes - 40) {
          sb.append(words[rnd.nextInt(words.length)]);
        }
        String a = answers[rnd.nextInt(answers.length)];
        sb.append("</think> \\boxed{").append(a).append('}');
        r.add(sb.toString());
        t.add(rnd.nextBoolean() ? a : answers[rnd.nextInt(answers.length)]);
      }
    }
  }

  /** The GPU scorer (fails the benchmark's setup without a GPU). */
  @State(Scope.Benchmark)
  public static class Gpu {
    RolloutScorer scorer;

    @Setup(Level.Trial)
    public void open() {
      if (!GpuContext.available()) {
        throw new IllegalStateException("no GPU: " + GpuContext.reason());
      }
      scorer = RolloutScorers.create(ScorerPreference.GPU);
      System.out.println("# scorer: " + scorer.reason());
    }

    @TearDown(Level.Trial)
    public void close() {
      scorer.close();
    }
  }

  /** The CPU scorer on all cores (the common fork-join pool). */
  @State(Scope.Benchmark)
  public static class Cpu {
    RolloutScorer scorer;

    @Setup(Level.Trial)
    public void open() {
      scorer = RolloutScorers.create(ScorerPreference.CPU);
      System.out.println(
          "# CPU scorer on "
              + java.util.concurrent.ForkJoinPool.commonPool().getParallelism()
              + " threads of "
              + Runtime.getRuntime().availableProcessors()
              + " processors");
    }
  }

  /** 64 smooth normalised maps with 3% invalid pixels. */
  @State(Scope.Benchmark)
  public static class Maps {
    List<float[]> maps;

    @Setup(Level.Trial)
    public void build() {
      SplittableRandom rnd = new SplittableRandom(2);
      maps = new ArrayList<>();
      for (int m = 0; m < MAPS; m++) {
        float[] v = new float[W * H];
        double a = rnd.nextDouble();
        double b = rnd.nextDouble();
        for (int y = 0; y < H; y++) {
          for (int x = 0; x < W; x++) {
            double z =
                0.5
                    + 0.25 * Math.sin(a * x / 97.0) * Math.cos(b * y / 61.0)
                    + rnd.nextDouble() * 0.01;
            v[y * W + x] = rnd.nextInt(100) < 3 ? Float.NaN : (float) Math.min(1, Math.max(0, z));
          }
        }
        maps.add(v);
      }
    }
  }

  /** The window kernels (fails the benchmark's setup without a GPU). */
  @State(Scope.Benchmark)
  public static class GpuWindows {
    GpuContext context;
    GpuWindowStats stats;

    @Setup(Level.Trial)
    public void open() {
      if (!GpuContext.available()) {
        throw new IllegalStateException("no GPU: " + GpuContext.reason());
      }
      context = GpuContext.open();
      stats = new GpuWindowStats(context);
    }

    @TearDown(Level.Trial)
    public void close() {
      stats.close();
      context.close();
    }
  }

  @Benchmark
  @OperationsPerInvocation(N1K)
  public Object score1kGpu(Batches b, Gpu g) {
    return g.scorer.score(b.r1k, b.t1k, 0.1);
  }

  @Benchmark
  @OperationsPerInvocation(N1K)
  public Object score1kCpu(Batches b, Cpu c) {
    return c.scorer.score(b.r1k, b.t1k, 0.1);
  }

  @Benchmark
  @OperationsPerInvocation(N16K)
  public Object score16kGpu(Batches b, Gpu g) {
    return g.scorer.score(b.r16k, b.t16k, 0.1);
  }

  @Benchmark
  @OperationsPerInvocation(N16K)
  public Object score16kCpu(Batches b, Cpu c) {
    return c.scorer.score(b.r16k, b.t16k, 0.1);
  }

  @Benchmark
  @OperationsPerInvocation(MAPS)
  public void windowsGpu(Maps m, GpuWindows g, Blackhole bh) {
    List<WindowGrid> grids = g.stats.compute(m.maps, W, H, K);
    bh.consume(grids);
  }

  @Benchmark
  @OperationsPerInvocation(MAPS)
  public void windowsCpuOneThread(Maps m, Blackhole bh) {
    for (float[] map : m.maps) {
      bh.consume(WindowStats.compute(map, W, H, K));
    }
  }

  @Benchmark
  @OperationsPerInvocation(MAPS)
  public void windowsCpuAllCores(Maps m, Blackhole bh) {
    IntStream.range(0, MAPS)
        .parallel()
        .forEach(i -> bh.consume(WindowStats.compute(m.maps.get(i), W, H, K)));
  }
}
